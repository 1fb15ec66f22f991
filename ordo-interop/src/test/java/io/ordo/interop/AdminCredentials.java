package io.ordo.interop;

import java.nio.file.Path;
import java.util.List;

/**
 * The TLS files of the orderer org's admin, as osnadmin and {@code ordo channel} take them: the TLS
 * CA of the orderers and the admin's TLS client certificate and key.
 */
record AdminCredentials(Path tlsCa, Path clientCert, Path clientKey) {
  static AdminCredentials of(Path ordererOrg) {
    Path admin = ordererOrg.resolve("users/Admin@example.com/tls");
    return new AdminCredentials(
        ordererOrg.resolve("tlsca/tlsca.example.com-cert.pem"),
        admin.resolve("client.crt"),
        admin.resolve("client.key"));
  }

  /** {@code -o ADDR --ca-file F --client-cert F --client-key F}. */
  List<String> flags(String adminEndpoint) {
    return List.of(
        "-o",
        adminEndpoint,
        "--ca-file",
        tlsCa.toString(),
        "--client-cert",
        clientCert.toString(),
        "--client-key",
        clientKey.toString());
  }
}

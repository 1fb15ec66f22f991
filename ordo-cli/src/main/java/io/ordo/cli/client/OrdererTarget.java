package io.ordo.cli.client;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything needed to talk to a channel of an ordering service as a client: where, over which TLS,
 * as whom.
 *
 * @param endpoints the orderers' client endpoints, at least one
 * @param channel the channel ID
 * @param tlsCa the PEM file of the CA(s) that issued the orderers' TLS certificates
 * @param clientTls the client's TLS certificate and key, for orderers that require them
 * @param mspDir the client's MSP folder (signcerts, keystore)
 * @param mspId the client's MSP ID
 */
public record OrdererTarget(
    List<OrdererEndpoint> endpoints,
    String channel,
    Path tlsCa,
    Optional<ClientTls> clientTls,
    Path mspDir,
    String mspId) {
  public OrdererTarget {
    endpoints = List.copyOf(endpoints);
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no orderer endpoint");
    }
  }

  /** A TLS client certificate and its PKCS#8 PEM key. */
  public record ClientTls(Path certificate, Path key) {}
}

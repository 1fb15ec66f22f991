package io.ordo.orderer.testing;

import io.ordo.fabric.crypto.KeyPairs;
import io.ordo.fabric.crypto.Pem;
import io.ordo.fabric.cryptogen.CertificateAuthority;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A cryptogen orderer's TLS key and certificate issued again by its org's TLS CA with another
 * expiry, in place of the ones cryptogen wrote: certificates that expire within a test.
 */
public final class TlsReissue {
  private TlsReissue() {}

  /**
   * Writes a new {@code server.key} and {@code server.crt} for {@code commonName} (also valid for
   * localhost and 127.0.0.1) into {@code tlsDir}, valid from five minutes ago until {@code
   * notAfter}.
   *
   * @param orgDir the orderer org's folder ({@code ordererOrganizations/<domain>}), its {@code
   *     tlsca} folder holding the CA's certificate and {@code priv_sk}
   */
  public static void serverTls(
      Path orgDir, String domain, Path tlsDir, String commonName, Instant notAfter) {
    SecureRandom random = new SecureRandom();
    Path tlsca = orgDir.resolve("tlsca");
    try {
      CertificateAuthority ca =
          CertificateAuthority.of(
              Pem.certificate(Files.readAllBytes(tlsca.resolve("tlsca." + domain + "-cert.pem"))),
              Pem.privateKey(Files.readAllBytes(tlsca.resolve("priv_sk"))),
              random);
      KeyPair keys = KeyPairs.p256(random);
      X509Certificate c =
          ca.issueTls(
              commonName,
              List.of(commonName, "localhost", "127.0.0.1"),
              keys.getPublic(),
              Instant.now().minus(Duration.ofMinutes(5)),
              notAfter);
      Files.write(tlsDir.resolve("server.crt"), Pem.encode(c));
      Files.write(tlsDir.resolve("server.key"), Pem.encode(keys.getPrivate()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot issue the TLS certificate in " + tlsDir, e);
    }
  }
}

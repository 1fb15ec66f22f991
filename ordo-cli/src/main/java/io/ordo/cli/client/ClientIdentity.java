package io.ordo.cli.client;

import io.ordo.cli.CommandFailedException;
import io.ordo.cli.InputFiles;
import io.ordo.cli.MessageText;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.crypto.Pem;
import io.ordo.fabric.msp.LocalSigningIdentity;
import java.io.UncheckedIOException;
import java.util.Optional;

/** Loads the client's signing identity and TLS binding for a {@link OrdererTarget}. */
public final class ClientIdentity {
  private ClientIdentity() {}

  /** The signing identity of {@code target}'s MSP folder, with a one-line error if unusable. */
  public static LocalSigningIdentity signer(OrdererTarget target, Ecdsa ecdsa) {
    InputFiles.directory(target.mspDir(), "MSP folder");
    try {
      return LocalSigningIdentity.load(target.mspDir(), target.mspId(), ecdsa);
    } catch (IllegalArgumentException | UncheckedIOException | Pem.PemException e) {
      throw new CommandFailedException(
          "cannot load the signing identity of MSP folder "
              + target.mspDir()
              + ": "
              + MessageText.oneLine(e.getMessage()),
          e);
    }
  }

  /**
   * The DER of the client TLS certificate, whose SHA-256 goes in tls_cert_hash when the orderer
   * requires client certificates.
   */
  public static Optional<byte[]> tlsCertificateDer(OrdererTarget target) {
    return target
        .clientTls()
        .map(
            c -> {
              byte[] pem = InputFiles.read(c.certificate(), "client TLS certificate");
              try {
                return Pem.certificate(pem).getEncoded();
              } catch (java.security.cert.CertificateEncodingException | Pem.PemException e) {
                throw new CommandFailedException(
                    "client TLS certificate " + c.certificate() + " is not a certificate", e);
              }
            });
  }
}

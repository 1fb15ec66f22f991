package io.ordo.fabric.msp;

import io.ordo.fabric.crypto.Pem;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * An X.509 identity of an MSP.
 *
 * @param mspId the MSP that issued it
 * @param certificate its certificate
 */
public record Identity(String mspId, X509Certificate certificate) {
  public Identity {
    Objects.requireNonNull(mspId, "mspId");
    Objects.requireNonNull(certificate, "certificate");
  }

  /** The identity as Fabric serialises it: mspid plus the certificate re-encoded as PEM. */
  public SerializedIdentity serialize() {
    return SerializedIdentity.newBuilder()
        .setMspid(mspId)
        .setIdBytes(com.google.protobuf.ByteString.copyFrom(Pem.encode(certificate)))
        .build();
  }

  /** Broadcast's expiration filter: refuses a certificate whose NotAfter is before {@code now}. */
  public void checkNotExpired(Instant now) {
    Instant notAfter = certificate.getNotAfter().toInstant();
    if (notAfter.isBefore(now)) {
      throw new IdentityException(
          IdentityException.Reason.EXPIRED,
          "identity " + describe() + " expired at " + notAfter + " (now " + now + ")");
    }
  }

  public String describe() {
    return mspId + "/" + certificate.getSubjectX500Principal().getName();
  }
}

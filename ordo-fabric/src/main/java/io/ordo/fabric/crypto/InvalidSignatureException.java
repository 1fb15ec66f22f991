package io.ordo.fabric.crypto;

/** A signature that Fabric's bccsp would refuse; {@link #reason()} says which rule it broke. */
public final class InvalidSignatureException extends RuntimeException {
  /** Why a signature was refused. */
  public enum Reason {
    /** Not a DER SEQUENCE of two positive INTEGERs. */
    MALFORMED,
    /** S is in the upper half of the curve order; Fabric accepts only low-S signatures. */
    HIGH_S,
    /** Well formed but does not verify under the key over the message. */
    MISMATCH,
    /** The key is not an EC P-256 public key, or the provider refused it. */
    BAD_KEY
  }

  private final Reason reason;

  public InvalidSignatureException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public InvalidSignatureException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

package io.ordo.fabric.msp;

/** An identity refused by an MSP; {@link #reason()} says which rule it broke. */
public final class IdentityException extends RuntimeException {
  /** Why an identity was refused or does not satisfy a principal. */
  public enum Reason {
    MALFORMED,
    UNKNOWN_MSP,
    UNKNOWN_CA,
    REVOKED,
    CA_AS_IDENTITY,
    NODE_OU,
    EXPIRED,
    WRONG_MSP,
    WRONG_ROLE,
    WRONG_OU,
    NOT_THE_IDENTITY,
    /** A public key neither ECDSA nor Ed25519. */
    UNSUPPORTED_KEY,
    UNSUPPORTED_PRINCIPAL
  }

  private final Reason reason;

  public IdentityException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public IdentityException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

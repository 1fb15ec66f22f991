package io.ordo.fabric.envelope;

/** An envelope refused before any policy is evaluated; {@link #reason()} says which check. */
public final class MalformedEnvelopeException extends RuntimeException {
  /** The structural and header checks an orderer makes, in order. */
  public enum Reason {
    TOO_LARGE,
    EMPTY_PAYLOAD,
    BAD_PAYLOAD,
    MISSING_HEADER,
    BAD_CHANNEL_HEADER,
    BAD_SIGNATURE_HEADER,
    WRONG_CHANNEL,
    TIMESTAMP_OUT_OF_WINDOW,
    TLS_BINDING_MISMATCH,
    BAD_TX_ID
  }

  private final Reason reason;

  public MalformedEnvelopeException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public MalformedEnvelopeException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

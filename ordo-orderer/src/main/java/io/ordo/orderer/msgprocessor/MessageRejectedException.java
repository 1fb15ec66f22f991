package io.ordo.orderer.msgprocessor;

/**
 * An envelope refused by the message processor. The {@link Reason} decides the Broadcast status
 * (see {@link BroadcastStatus}); the message is what the client is told.
 */
public final class MessageRejectedException extends RuntimeException {
  /** Fabric's msgprocessor sentinel errors, plus BAD_REQUEST for every other refusal. */
  public enum Reason {
    /** ErrPermissionDenied: a policy refused the signatures. */
    PERMISSION_DENIED,
    /** ErrChannelDoesNotExist. */
    CHANNEL_DOES_NOT_EXIST,
    /** ErrMaintenanceMode: normal transactions are refused during consensus-type migration. */
    MAINTENANCE_MODE,
    /** Anything else: malformed, empty, too large, expired identity, bad config update. */
    BAD_REQUEST
  }

  private final Reason reason;

  public MessageRejectedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public MessageRejectedException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

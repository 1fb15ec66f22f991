package io.ordo.orderer.admin;

/** A join or removal the node refused; {@link #kind()} picks Fabric's HTTP status. */
public final class ChannelManagerException extends RuntimeException {
  /** Fabric's registrar errors (types.Err*) and the rest. */
  public enum Kind {
    /** types.ErrChannelNotExist. */
    NOT_FOUND,
    /** types.ErrChannelAlreadyExists. */
    ALREADY_EXISTS,
    /** types.ErrChannelPendingRemoval. */
    PENDING_REMOVAL,
    /** types.ErrChannelRemovalFailure. */
    REMOVAL_FAILED,
    /** The join block is not acceptable (answered "invalid join block: ..."). */
    INVALID_JOIN_BLOCK,
    /** Anything else (answered 400). */
    OTHER
  }

  private final Kind kind;

  public ChannelManagerException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}

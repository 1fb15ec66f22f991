package io.ordo.orderer.admin;

/** A leadership request the node refused; {@link #kind()} picks the HTTP status. */
public final class LeadershipException extends RuntimeException {
  /** Why. */
  public enum Kind {
    /** This node has no such channel (404). */
    NOT_FOUND,
    /** This node only follows the channel: it is not one of its consenters (409). */
    NOT_CONSENTER,
    /** The channel has no leader now, or the leadership did not move in time (409). */
    UNSETTLED
  }

  private final Kind kind;

  public LeadershipException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}

package io.ordo.fabric.configtx;

/** A config update refused; {@link #reason()} says which rule it broke. */
public final class ConfigUpdateException extends RuntimeException {
  /** The rule an update broke. */
  public enum Reason {
    /** The envelope, payload, headers, ConfigUpdateEnvelope or ConfigUpdate do not decode. */
    MALFORMED,
    /** Not a CONFIG_UPDATE, or its ConfigUpdate names another channel. */
    WRONG_CHANNEL,
    /** A config element name or mod_policy is not a legal config ID. */
    INVALID_NAME,
    /** A read-set element does not exist or is at another version. */
    STALE_READ_SET,
    /** The write set changes nothing. */
    EMPTY_DELTA,
    /** A changed element's version is not the current one plus one (or 0 for a new element). */
    BAD_VERSION,
    /** A changed element's existing mod_policy is missing or not satisfied by the signatures. */
    POLICY_NOT_SATISFIED,
    /** The resulting config tree is incomplete or one of its values is not valid. */
    INVALID_CONFIG,
    /** The consensus type or state changed. */
    CONSENSUS_TYPE_CHANGE,
    /** More than one consenter added or removed, or a consenter certificate that does not chain. */
    CONSENTER_CHANGE
  }

  private final Reason reason;

  public ConfigUpdateException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ConfigUpdateException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

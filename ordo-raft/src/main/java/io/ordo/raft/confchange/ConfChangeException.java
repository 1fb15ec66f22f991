package io.ordo.raft.confchange;

/**
 * A configuration change that may not be applied to the current configuration, or a configuration
 * that breaks the tracker's invariants. Messages are etcd's, so both implementations report the
 * same refusal.
 */
public final class ConfChangeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfChangeException(String message) {
    super(message);
  }
}

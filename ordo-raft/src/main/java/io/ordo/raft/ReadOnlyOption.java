package io.ordo.raft;

/** How read-index requests are served (etcd's {@code ReadOnlyOption}). */
public enum ReadOnlyOption {
  /** Confirm leadership with a heartbeat round to a quorum (the default). */
  SAFE,
  /** Trust the leader lease; needs check-quorum and bounded clock drift. */
  LEASE_BASED
}

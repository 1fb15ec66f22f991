package io.ordo.raft.tracker;

/** How the leader currently replicates to a follower. */
public enum ProgressState {
  /** At most one append per heartbeat interval, to find where the follower's log matches. */
  PROBE("StateProbe"),
  /** Appends are streamed optimistically, bounded by the in-flight window. */
  REPLICATE("StateReplicate"),
  /** A snapshot is on its way; nothing else is sent until it is reported. */
  SNAPSHOT("StateSnapshot");

  private final String etcdName;

  ProgressState(String etcdName) {
    this.etcdName = etcdName;
  }

  /** The name etcd prints, e.g. {@code StateProbe}, so logs of both implementations compare. */
  @Override
  public String toString() {
    return etcdName;
  }
}

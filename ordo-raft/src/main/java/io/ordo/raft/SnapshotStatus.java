package io.ordo.raft;

/** How sending a snapshot to a follower ended, reported with {@link RawNode#reportSnapshot}. */
public enum SnapshotStatus {
  FINISH,
  FAILURE
}

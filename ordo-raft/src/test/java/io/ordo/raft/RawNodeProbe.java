package io.ordo.raft;

/**
 * Cheap read-only views of a {@link RawNode}'s raft state for test harnesses outside this package
 * (the cluster simulator checks them after every step, where {@link RawNode#status} would copy the
 * whole progress map).
 */
public final class RawNodeProbe {
  private RawNodeProbe() {}

  public static long term(RawNode node) {
    return node.raft().term;
  }

  public static StateType state(RawNode node) {
    return node.raft().state;
  }

  public static long lead(RawNode node) {
    return node.raft().lead;
  }

  public static long committed(RawNode node) {
    return node.raft().raftLog.committed();
  }

  public static long leadTransferee(RawNode node) {
    return node.raft().leadTransferee;
  }
}

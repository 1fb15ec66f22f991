package io.ordo.raft.quorum;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Two majority configs that must both agree: the incoming one and, while a configuration change is
 * in its joint phase, the outgoing one. Outside a joint phase the outgoing config is empty and the
 * joint config behaves exactly like its incoming half.
 */
public final class JointConfig {
  private final MajorityConfig incoming;
  private final MajorityConfig outgoing;

  public JointConfig(MajorityConfig incoming, MajorityConfig outgoing) {
    this.incoming = Objects.requireNonNull(incoming, "incoming");
    this.outgoing = Objects.requireNonNull(outgoing, "outgoing");
  }

  /** A non-joint config: {@code incoming} alone decides. */
  public static JointConfig of(MajorityConfig incoming) {
    return new JointConfig(incoming, MajorityConfig.empty());
  }

  public MajorityConfig incoming() {
    return incoming;
  }

  public MajorityConfig outgoing() {
    return outgoing;
  }

  /** True while the outgoing half has voters, i.e. during the joint phase of a change. */
  public boolean isJoint() {
    return !outgoing.isEmpty();
  }

  /** Every voter of either half, unmodifiable and ascending. */
  public Set<Long> ids() {
    if (outgoing.isEmpty()) {
      return incoming.idSet();
    }
    TreeSet<Long> union = new TreeSet<>(incoming.idSet());
    union.addAll(outgoing.idSet());
    return Collections.unmodifiableSortedSet(union);
  }

  /** The highest index committed by both halves: the smaller of the two majorities' indexes. */
  public long committedIndex(AckedIndexer acked) {
    return Math.min(incoming.committedIndex(acked), outgoing.committedIndex(acked));
  }

  /**
   * Both halves must win for the joint config to win; either losing loses it; anything else is
   * pending.
   */
  public VoteResult voteResult(Map<Long, Boolean> votes) {
    VoteResult in = incoming.voteResult(votes);
    VoteResult out = outgoing.voteResult(votes);
    if (in == out) {
      return in;
    }
    if (in == VoteResult.LOST || out == VoteResult.LOST) {
      return VoteResult.LOST;
    }
    return VoteResult.PENDING;
  }

  /** {@code (1 2 3)} when not joint, {@code (1 2 3)&&(1 2)} when joint, as etcd prints it. */
  @Override
  public String toString() {
    return outgoing.isEmpty() ? incoming.toString() : incoming + "&&" + outgoing;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JointConfig other
        && incoming.equals(other.incoming)
        && outgoing.equals(other.outgoing);
  }

  @Override
  public int hashCode() {
    return 31 * incoming.hashCode() + outgoing.hashCode();
  }
}

package io.ordo.raft.tracker;

import io.ordo.raft.quorum.JointConfig;
import io.ordo.raft.quorum.MajorityConfig;
import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The active configuration: the (possibly joint) voters, the learners, and the learners staged to
 * join once the joint phase ends.
 *
 * <p>{@code learnersNext} exists because a node may not be voter and learner at once: a voter
 * demoted to learner while still in the outgoing half waits there until the joint phase is left.
 *
 * @param voters the voters; joint while a change is in progress
 * @param autoLeave whether raft leaves the joint phase by itself once it can
 * @param learners non-voting members, disjoint from both halves of {@code voters}
 * @param learnersNext outgoing voters that become learners when the joint phase is left
 */
public record TrackerConfig(
    JointConfig voters, boolean autoLeave, Set<Long> learners, Set<Long> learnersNext) {

  private static final TrackerConfig EMPTY =
      new TrackerConfig(JointConfig.of(MajorityConfig.empty()), false, Set.of(), Set.of());

  public TrackerConfig {
    Objects.requireNonNull(voters, "voters");
    learners = sortedCopy(learners);
    learnersNext = sortedCopy(learnersNext);
  }

  /** No voters, no learners. */
  public static TrackerConfig empty() {
    return EMPTY;
  }

  private static Set<Long> sortedCopy(Collection<Long> ids) {
    if (ids == null || ids.isEmpty()) {
      return Collections.emptySortedSet();
    }
    return Collections.unmodifiableSortedSet(new TreeSet<>(ids));
  }

  /**
   * As etcd's {@code Config.String}: {@code voters=(1 2)&&(1) learners=(3) learners_next=(4)
   * autoleave}, leaving out empty parts.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("voters=").append(voters);
    if (!learners.isEmpty()) {
      sb.append(" learners=").append(MajorityConfig.of(learners));
    }
    if (!learnersNext.isEmpty()) {
      sb.append(" learners_next=").append(MajorityConfig.of(learnersNext));
    }
    if (autoLeave) {
      sb.append(" autoleave");
    }
    return sb.toString();
  }
}

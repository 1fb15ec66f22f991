package io.ordo.raft.confchange;

import io.ordo.raft.quorum.JointConfig;
import io.ordo.raft.quorum.MajorityConfig;
import io.ordo.raft.tracker.Progress;
import io.ordo.raft.tracker.TrackerConfig;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** A mutable copy of a configuration and its progresses that a {@link Changer} edits. */
final class WorkingConfig {
  final TreeSet<Long> incoming;
  final TreeSet<Long> outgoing;
  final TreeSet<Long> learners;
  final TreeSet<Long> learnersNext;
  boolean autoLeave;
  final TreeMap<Long, Progress> progress;

  /** Copies {@code config} and every progress (sharing their in-flight windows). */
  WorkingConfig(TrackerConfig config, Map<Long, Progress> progress) {
    this.incoming = new TreeSet<>(config.voters().incoming().idSet());
    this.outgoing = new TreeSet<>(config.voters().outgoing().idSet());
    this.learners = new TreeSet<>(config.learners());
    this.learnersNext = new TreeSet<>(config.learnersNext());
    this.autoLeave = config.autoLeave();
    this.progress = new TreeMap<>();
    progress.forEach((id, pr) -> this.progress.put(id, pr.copy()));
  }

  boolean isJoint() {
    return !outgoing.isEmpty();
  }

  TrackerConfig toConfig() {
    return new TrackerConfig(
        new JointConfig(MajorityConfig.of(incoming), MajorityConfig.of(outgoing)),
        autoLeave,
        learners,
        learnersNext);
  }

  Changer.Result toResult() {
    return new Changer.Result(toConfig(), Collections.unmodifiableSortedMap(progress));
  }

  /**
   * Checks that the configuration and the progresses agree with each other.
   *
   * @throws ConfChangeException naming the first offending node
   */
  void checkInvariants() {
    for (Iterable<Long> ids : List.of(incoming, outgoing, learners, learnersNext)) {
      for (long id : ids) {
        if (!progress.containsKey(id)) {
          throw new ConfChangeException("no progress for " + id);
        }
      }
    }
    // A staged learner is only staged because it is still a voter in the outgoing half.
    for (long id : learnersNext) {
      if (!outgoing.contains(id)) {
        throw new ConfChangeException(id + " is in LearnersNext, but not Voters[1]");
      }
      if (progress.get(id).isLearner()) {
        throw new ConfChangeException(id + " is in LearnersNext, but is already marked as learner");
      }
    }
    for (long id : learners) {
      if (outgoing.contains(id)) {
        throw new ConfChangeException(id + " is in Learners and Voters[1]");
      }
      if (incoming.contains(id)) {
        throw new ConfChangeException(id + " is in Learners and Voters[0]");
      }
      if (!progress.get(id).isLearner()) {
        throw new ConfChangeException(id + " is in Learners, but is not marked as learner");
      }
    }
    if (!isJoint()) {
      if (!learnersNext.isEmpty()) {
        throw new ConfChangeException("LearnersNext must be nil when not joint");
      }
      if (autoLeave) {
        throw new ConfChangeException("AutoLeave must be false when not joint");
      }
    }
  }
}

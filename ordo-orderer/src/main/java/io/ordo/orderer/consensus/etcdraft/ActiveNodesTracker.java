package io.ordo.orderer.consensus.etcdraft;

import io.ordo.raft.ProgressStatus;
import io.ordo.raft.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The leader's view of which consenters are alive (Fabric's {@code etcdraft.(*Tracker).Check},
 * orderer/consensus/etcdraft/tracker.go): itself and every follower raft saw recently. A set is
 * published once its size has held for four ticks in a row, so a node flapping does not flood the
 * followers with updates (and again every twenty ticks).
 */
final class ActiveNodesTracker {
  private static final int STABLE_TICKS = 3;

  /**
   * An unchanged set is published again this often: a follower that lost the leader for a while
   * forgot it, and would otherwise refuse every consenter change until the set changes.
   */
  private static final int REPUBLISH_TICKS = 20;

  private int lastSize = -1;
  private int stableFor;
  private List<Long> published = List.of();
  private int sincePublished;

  /**
   * Called on the leader every tick.
   *
   * @return the active set to publish, when it is newly stable and differs from the last one
   */
  Optional<List<Long>> onTick(Status status) {
    List<Long> active = new ArrayList<>();
    active.add(status.id());
    for (Map.Entry<Long, ProgressStatus> e : status.progress().entrySet()) {
      if (e.getKey() != status.id() && e.getValue().recentActive()) {
        active.add(e.getKey());
      }
    }
    active.sort(null);
    if (active.size() != lastSize) {
      lastSize = active.size();
      stableFor = 0;
      return Optional.empty();
    }
    if (stableFor < STABLE_TICKS) {
      stableFor++;
      return Optional.empty();
    }
    if (active.equals(published) && ++sincePublished < REPUBLISH_TICKS) {
      return Optional.empty();
    }
    published = List.copyOf(active);
    sincePublished = 0;
    return Optional.of(published);
  }

  /**
   * Whether the last set published is exactly {@code members}: a leader lets its channel go quiet
   * only then, since quiet it publishes nothing, and followers refuse consenter changes by what it
   * published (a removed consenter must not count as alive).
   */
  boolean published(java.util.Collection<Long> members) {
    return published.size() == members.size() && published.containsAll(members);
  }

  /** This node stopped leading: the next leadership starts counting afresh. */
  void reset() {
    lastSize = -1;
    stableFor = 0;
    published = List.of();
    sincePublished = 0;
  }
}

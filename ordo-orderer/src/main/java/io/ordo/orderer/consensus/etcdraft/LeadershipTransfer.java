package io.ordo.orderer.consensus.etcdraft;

import io.ordo.raft.ProgressStatus;
import io.ordo.raft.Status;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Whom a leader hands leadership to before it orders a config update that removes it or rotates its
 * certificate (Fabric's abdicateLeadership): the recently active follower with the highest match
 * index.
 */
final class LeadershipTransfer {
  private LeadershipTransfer() {}

  static OptionalLong transferee(Status status) {
    long best = 0;
    long bestMatch = -1;
    for (Map.Entry<Long, ProgressStatus> e : status.progress().entrySet()) {
      long id = e.getKey();
      ProgressStatus p = e.getValue();
      if (id == status.id() || p.isLearner() || !p.recentActive()) {
        continue;
      }
      if (p.match() > bestMatch || (p.match() == bestMatch && id < best)) {
        best = id;
        bestMatch = p.match();
      }
    }
    return best == 0 ? OptionalLong.empty() : OptionalLong.of(best);
  }
}

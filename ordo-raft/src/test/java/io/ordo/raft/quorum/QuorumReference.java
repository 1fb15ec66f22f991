package io.ordo.raft.quorum;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Deliberately naive quorum rules, to check the real ones against. */
final class QuorumReference {
  private QuorumReference() {}

  static long committed(Set<Long> voters, Map<Long, Long> acked) {
    if (voters.isEmpty()) {
      return Long.MAX_VALUE;
    }
    List<Long> indexes = new ArrayList<>();
    for (long id : voters) {
      indexes.add(acked.getOrDefault(id, 0L));
    }
    indexes.sort(Comparator.reverseOrder());
    int quorum = voters.size() / 2 + 1;
    return indexes.get(quorum - 1);
  }

  static VoteResult vote(Set<Long> voters, Map<Long, Boolean> votes) {
    int quorum = voters.size() / 2 + 1;
    int granted = 0;
    int rejected = 0;
    for (long id : voters) {
      Boolean v = votes.get(id);
      if (Boolean.TRUE.equals(v)) {
        granted++;
      } else if (Boolean.FALSE.equals(v)) {
        rejected++;
      }
    }
    if (voters.isEmpty() || granted >= quorum) {
      return VoteResult.WON;
    }
    boolean quorumStillReachable = voters.size() - rejected >= quorum;
    return quorumStillReachable ? VoteResult.PENDING : VoteResult.LOST;
  }
}

package io.ordo.orderer.consensus.etcdraft;

import io.ordo.raft.Status;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * When a follower that saw its leader's process go campaigns: the surviving voters, in raft ID
 * order, campaign one step apart, so that they do not split the vote (the first one stands at once;
 * if its log is behind, the next one, a step later, wins). The step is a tenth of a second or a
 * tick, whichever is shorter: long enough for a pre-vote and a vote to cross a data centre, short
 * enough that three steps stay well under a second. A little jitter covers two nodes that disagree
 * about the voters during a membership change.
 */
final class FailoverRank {
  private static final long STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private FailoverRank() {}

  /** The delay before this node campaigns after leader {@code gone}'s process was seen gone. */
  static long delayNanos(Status status, long gone, Options options) {
    long step = step(options);
    List<Long> survivors =
        status.config().voters().ids().stream().filter(id -> id != gone).sorted().toList();
    int rank = Math.max(0, survivors.indexOf(options.raftId()));
    return rank * step + ThreadLocalRandom.current().nextLong(step / 4 + 1);
  }

  /**
   * How much later than now a node still waiting for its turn campaigns once another survivor's
   * pre-vote reaches it: the survivors do not see the leader's process go at the same moment, so
   * the ranks alone leave two standing at once when the notices come a step apart. Two steps give
   * the other a pre-vote and a vote; if it cannot win (its log is behind), this node still stands
   * long before the election timeout.
   */
  static long yieldNanos(Options options) {
    return 2 * step(options);
  }

  /** How often a split fast-failover campaign stands again before the election timeout rules. */
  static final int SPLIT_RETRIES = 3;

  /**
   * How long after standing a node looks whether it won: a pre-vote and a vote take well under
   * three steps, and the rank staggers the nodes that stand again after a split vote.
   */
  static long splitCheckNanos(Status status, Options options) {
    List<Long> voters = status.config().voters().ids().stream().sorted().toList();
    int rank = Math.max(0, voters.indexOf(options.raftId()));
    return (3 + rank) * step(options);
  }

  private static long step(Options options) {
    return Math.min(STEP_NANOS, options.tickInterval().toNanos());
  }
}

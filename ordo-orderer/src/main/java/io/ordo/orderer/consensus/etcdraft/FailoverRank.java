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
    long step = Math.min(STEP_NANOS, options.tickInterval().toNanos());
    List<Long> survivors =
        status.config().voters().ids().stream().filter(id -> id != gone).sorted().toList();
    int rank = Math.max(0, survivors.indexOf(options.raftId()));
    return rank * step + ThreadLocalRandom.current().nextLong(step / 4 + 1);
  }
}

package io.ordo.raft.sim;

import io.ordo.raft.pb.Message;
import io.ordo.raft.pb.MessageType;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * An in-memory network in logical time: each sent message is delivered at a future tick, or lost,
 * or delivered twice; links can be cut one way or both ways. All choices come from the run's random
 * source, so a seed replays exactly.
 */
final class SimNetwork {
  /** What became of a message handed to {@link #send}. */
  enum Outcome {
    QUEUED,
    LOST,
    UNREACHABLE
  }

  private record InFlight(long at, long order, Message message) {}

  private final SplittableRandom rng;
  private final PriorityQueue<InFlight> queue =
      new PriorityQueue<>(
          Comparator.comparingLong(InFlight::at).thenComparingLong(InFlight::order));
  private final Set<Long> cutLinks = new HashSet<>();
  private long sequence;
  private double dropRate;
  private double duplicateRate;
  private double delayRate;
  private final int maxDelay;
  private boolean reorder;

  SimNetwork(SplittableRandom rng, SimParams params) {
    this.rng = rng;
    this.dropRate = params.dropRate();
    this.duplicateRate = params.duplicateRate();
    this.delayRate = params.delayRate();
    this.maxDelay = params.maxDelay();
    this.reorder = params.reorder();
  }

  /** Queues a message sent at {@code now}, unless its link is cut or the network loses it. */
  Outcome send(Message m, long now) {
    if (isCut(m.getFrom(), m.getTo())) {
      return Outcome.UNREACHABLE;
    }
    if (rng.nextDouble() < dropRate) {
      return Outcome.LOST;
    }
    enqueue(m, now);
    // Proposals are not duplicated: raft forwards them at most once and relies on the transport not
    // to repeat them; a duplicated forward would be appended twice, which is the application's
    // concern (it must deduplicate), not a raft invariant.
    if (m.getType() != MessageType.MsgProp && rng.nextDouble() < duplicateRate) {
      enqueue(m, now);
    }
    return Outcome.QUEUED;
  }

  private void enqueue(Message m, long now) {
    long at = now + (rng.nextDouble() < delayRate ? 1 + rng.nextInt(maxDelay) : 0);
    long order = reorder ? rng.nextLong() : sequence++;
    queue.add(new InFlight(at, order, m));
  }

  /** The next message due at or before {@code now} whose link is still up, or null. */
  Message pollDue(long now) {
    while (!queue.isEmpty() && queue.peek().at() <= now) {
      Message m = queue.poll().message();
      // a link cut while the message was on the wire loses it, as a broken connection does
      if (!isCut(m.getFrom(), m.getTo())) {
        return m;
      }
    }
    return null;
  }

  int inFlight() {
    return queue.size();
  }

  boolean isCut(long from, long to) {
    return cutLinks.contains(link(from, to));
  }

  /** Cuts every link between the two groups, both ways. */
  void partition(List<Long> one, List<Long> other) {
    for (long a : one) {
      for (long b : other) {
        cutLinks.add(link(a, b));
        cutLinks.add(link(b, a));
      }
    }
  }

  /** Cuts the link from {@code from} to {@code to} only. */
  void cutOneWay(long from, long to) {
    cutLinks.add(link(from, to));
  }

  void reconnectAll() {
    cutLinks.clear();
  }

  /** Ends every fault: no cut links, no loss, no duplicates, no delay, in-order delivery. */
  void heal() {
    cutLinks.clear();
    dropRate = 0;
    duplicateRate = 0;
    delayRate = 0;
    reorder = false;
  }

  private static long link(long from, long to) {
    return from << 32 | to;
  }
}

package io.ordo.cli.bench;

import io.ordo.cli.client.OrdererEndpoint;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The stream failures a run went through, for its report: Broadcast and Deliver streams broken per
 * orderer, Broadcast streams connected again after a break, and when the first break came
 * (nanoTime, 0 = none yet), the moment from which the service's recovery is timed.
 */
final class StreamFaults {
  private final Map<String, LongAdder> broadcastBreaks = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> deliverBreaks = new ConcurrentHashMap<>();
  private final LongAdder reconnections = new LongAdder();
  private final AtomicLong firstBreakNanos = new AtomicLong();

  void broadcastBroke(OrdererEndpoint orderer, long now) {
    broke(broadcastBreaks, orderer, now);
  }

  void deliverBroke(OrdererEndpoint orderer, long now) {
    broke(deliverBreaks, orderer, now);
  }

  private void broke(Map<String, LongAdder> breaks, OrdererEndpoint orderer, long now) {
    breaks.computeIfAbsent(orderer.toString(), o -> new LongAdder()).increment();
    firstBreakNanos.compareAndSet(0, now);
  }

  /** A Broadcast stream broken before is connected again, to any orderer. */
  void reconnected() {
    reconnections.increment();
  }

  /** Broadcast streams broken, by orderer ({@code host:port}). */
  Map<String, Long> broadcastBreaks() {
    return sums(broadcastBreaks);
  }

  /** Deliver streams broken, by orderer. */
  Map<String, Long> deliverBreaks() {
    return sums(deliverBreaks);
  }

  long breaks() {
    return broadcastBreaks().values().stream().mapToLong(Long::longValue).sum()
        + deliverBreaks().values().stream().mapToLong(Long::longValue).sum();
  }

  long reconnections() {
    return reconnections.sum();
  }

  /** When the first stream broke (nanoTime), 0 when none did. */
  long firstBreakNanos() {
    return firstBreakNanos.get();
  }

  private static Map<String, Long> sums(Map<String, LongAdder> m) {
    Map<String, Long> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}

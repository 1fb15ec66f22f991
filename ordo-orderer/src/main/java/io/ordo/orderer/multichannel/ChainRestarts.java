package io.ordo.orderer.multichannel;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Starts again the chains that stopped on their own (a full disk, a failed write), from what is on
 * disk, with a doubling delay from {@code first} up to {@code max}, until an attempt succeeds or
 * the channel is removed. A full disk that is freed, or a disk that comes back, needs no restart of
 * the node. One attempt runs at a time; the attempt itself is the registrar's.
 */
final class ChainRestarts implements AutoCloseable {
  private final Duration first;
  private final Duration max;
  private final Predicate<String> attempt;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("chain-restarts").daemon().unstarted(r));
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  /** The last delay used per channel and when: a chain that fails again soon keeps doubling. */
  private final Map<String, Last> recent = new ConcurrentHashMap<>();

  private record Pending(ScheduledFuture<?> next, Duration delay) {}

  private record Last(Duration delay, long atNanos) {}

  /**
   * @param attempt starts the channel's chain again; true when it runs, false to try again later
   */
  ChainRestarts(Duration first, Duration max, Predicate<String> attempt) {
    this.first = first;
    this.max = max;
    this.attempt = attempt;
  }

  /**
   * The channel's chain stopped on its own: try it again after the first delay, or after twice the
   * last one when it stopped again soon after a restart (a disk still full).
   */
  void schedule(String channel) {
    Last last = recent.get(channel);
    Duration delay =
        last != null && System.nanoTime() - last.atNanos() < 2 * max.toNanos()
            ? doubled(last.delay())
            : first;
    pending.compute(
        channel,
        (ch, old) -> {
          if (old != null) {
            old.next().cancel(false);
          }
          return new Pending(at(ch, delay), delay);
        });
  }

  private Duration doubled(Duration delay) {
    Duration twice = delay.multipliedBy(2);
    return twice.compareTo(max) > 0 ? max : twice;
  }

  /** No more attempts for the channel (removed, or started by other means). */
  void cancel(String channel) {
    recent.remove(channel);
    Pending p = pending.remove(channel);
    if (p != null) {
      p.next().cancel(false);
    }
  }

  boolean scheduled(String channel) {
    return pending.containsKey(channel);
  }

  private ScheduledFuture<?> at(String channel, Duration delay) {
    return timer.schedule(() -> run(channel), delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void run(String channel) {
    Pending p = pending.get(channel);
    if (p == null) {
      return;
    }
    recent.put(channel, new Last(p.delay(), System.nanoTime()));
    if (attempt.test(channel)) {
      pending.remove(channel, p);
      return;
    }
    Duration next = doubled(p.delay());
    pending.computeIfPresent(channel, (ch, current) -> new Pending(at(ch, next), next));
  }

  @Override
  public void close() {
    timer.shutdownNow();
    pending.clear();
    recent.clear();
  }
}

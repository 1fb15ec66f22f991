package io.ordo.orderer.broadcast;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Fabric v3.0's shared rate limiter ({@code orderer/common/throttle}), one per dimension (clients,
 * organisations). {@code limit} transactions a second are shared equally among the keys seen
 * lately: a key may pass {@code limit / keys} transactions, and the one after that waits for the
 * next refill, which gives every key one budget token a second (a key that did not use its token
 * keeps one, no more). After the wait the key's count starts over. A key is forgotten once it has
 * not waited for {@code inactivityTimeout}: Fabric notes when a key was last seen at its creation
 * and after each wait only, and this does the same, so that the budget splits as Fabric's does.
 */
final class SharedRateLimiter {
  /** Called when a transaction of a key is held back until the next refill. */
  interface Listener {
    void waiting(boolean started);
  }

  private final int limit;
  private final long inactivityNanos;
  private final LongSupplier nanoTime;
  private final Listener listener;
  private final Map<String, KeyState> keys = new ConcurrentHashMap<>();
  private volatile boolean stopped;

  /** One key's count since its last wait, and its budget token. */
  private static final class KeyState {
    final ReentrantLock lock = new ReentrantLock();
    final AtomicInteger used = new AtomicInteger();

    /** Fabric's channel of one: released by the refill only, so never more than one permit. */
    final Semaphore token = new Semaphore(0);

    volatile long lastSeen;

    KeyState(long now) {
      this.lastSeen = now;
    }
  }

  SharedRateLimiter(
      int limit, Duration inactivityTimeout, LongSupplier nanoTime, Listener listener) {
    if (limit < 1) {
      throw new IllegalArgumentException("a rate limit must be positive, not " + limit);
    }
    this.limit = limit;
    this.inactivityNanos = inactivityTimeout.toNanos();
    this.nanoTime = nanoTime;
    this.listener = listener;
  }

  /**
   * Counts one transaction of {@code key}; returns at once while the key is within its share, else
   * waits for the key's next budget token.
   */
  void limitRate(String key) throws InterruptedException {
    if (stopped) {
      return;
    }
    KeyState state = keys.computeIfAbsent(key, k -> new KeyState(nanoTime.getAsLong()));
    int budget = limit / Math.max(1, keys.size());
    if (state.used.incrementAndGet() <= budget) {
      return;
    }
    // over budget: this key's later transactions queue behind this one
    state.lock.lockInterruptibly();
    try {
      if (state.used.get() <= budget) {
        return; // another transaction of the key waited meanwhile
      }
      listener.waiting(true);
      try {
        state.token.acquire();
      } finally {
        listener.waiting(false);
      }
      if (stopped) {
        return;
      }
      state.lastSeen = nanoTime.getAsLong();
      state.used.set(0);
    } finally {
      state.lock.unlock();
    }
  }

  /** The refill, once a second: a token for every key, then the inactive keys forgotten. */
  void distributeBudget() {
    long now = nanoTime.getAsLong();
    List<String> inactive = new ArrayList<>();
    for (Map.Entry<String, KeyState> e : keys.entrySet()) {
      fill(e.getValue());
      if (now - e.getValue().lastSeen > inactivityNanos) {
        inactive.add(e.getKey());
      }
    }
    // a key active since it was listed is forgotten all the same, as Fabric's is
    inactive.forEach(keys::remove);
  }

  private static void fill(KeyState state) {
    if (state.token.availablePermits() == 0) {
      state.token.release();
    }
  }

  /** How many keys share the budget now. */
  int keys() {
    return keys.size();
  }

  /** Lets every waiting transaction through, and every later one at once. */
  void stop() {
    stopped = true;
    keys.values().forEach(s -> s.token.release());
  }
}

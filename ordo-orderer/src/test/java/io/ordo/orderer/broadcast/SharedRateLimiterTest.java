package io.ordo.orderer.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The limiter's rules, as Fabric v3.0's SharedRateLimiter has them, with the refill driven by the
 * test instead of a clock: a key's share is the limit over the keys seen, the transaction after the
 * share waits for the refill, a token kept from an earlier refill is used at once, and keys that
 * did not wait for longer than the inactivity timeout are forgotten.
 */
class SharedRateLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicInteger waits = new AtomicInteger();
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  private SharedRateLimiter limiter(int limit) {
    return new SharedRateLimiter(
        limit,
        Duration.ofSeconds(5),
        now::get,
        started -> {
          if (started) {
            waits.incrementAndGet();
            waiting.incrementAndGet();
          } else {
            waiting.decrementAndGet();
          }
        });
  }

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  @Test
  void aLoneKeyPassesTheLimitThenWaitsForTheRefill() throws Exception {
    SharedRateLimiter l = limiter(10);
    for (int i = 0; i < 10; i++) {
      l.limitRate("a");
    }
    assertThat(waits).hasValue(0);
    CompletableFuture<Void> eleventh = send(l, "a");
    await().atMost(Duration.ofSeconds(10)).until(() -> waiting.get() == 1);
    assertThat(eleventh).isNotDone();
    l.distributeBudget();
    eleventh.get();
    // the count starts over after the wait: ten more pass, the next waits again
    for (int i = 0; i < 10; i++) {
      l.limitRate("a");
    }
    assertThat(waits).hasValue(1);
    CompletableFuture<Void> next = send(l, "a");
    await().atMost(Duration.ofSeconds(10)).until(() -> waits.get() == 2);
    assertThat(next).isNotDone();
    l.distributeBudget();
    next.get();
  }

  @Test
  void twoKeysShareTheLimitEqually() throws Exception {
    SharedRateLimiter l = limiter(10);
    l.limitRate("b"); // b is seen: the share is 10 / 2
    for (int i = 0; i < 5; i++) {
      l.limitRate("a");
    }
    assertThat(waits).hasValue(0);
    CompletableFuture<Void> sixth = send(l, "a");
    await().atMost(Duration.ofSeconds(10)).until(() -> waiting.get() == 1);
    // b still has its own share while a waits
    for (int i = 0; i < 4; i++) {
      l.limitRate("b");
    }
    assertThat(sixth).isNotDone();
    l.distributeBudget();
    sixth.get();
    assertThat(l.keys()).isEqualTo(2);
  }

  @Test
  void aTokenKeptFromAnEarlierRefillLetsTheFirstTransactionOverTheShareThroughAtOnce()
      throws Exception {
    SharedRateLimiter l = limiter(3);
    l.limitRate("a");
    l.distributeBudget(); // a had not used its share: the token waits for it
    l.limitRate("a");
    l.limitRate("a");
    l.limitRate("a"); // over the share, but the kept token lets it through
    assertThat(waits).hasValue(1);
    assertThat(waiting).hasValue(0);
    // the kept token is spent: the next over the share waits
    for (int i = 0; i < 3; i++) {
      l.limitRate("a");
    }
    CompletableFuture<Void> held = send(l, "a");
    await().atMost(Duration.ofSeconds(10)).until(() -> waiting.get() == 1);
    assertThat(held).isNotDone();
    l.distributeBudget();
    held.get();
  }

  @Test
  void keysThatDidNotWaitForLongerThanTheTimeoutAreForgottenAndTheShareGrows() throws Exception {
    SharedRateLimiter l = limiter(10);
    l.limitRate("gone");
    l.limitRate("a");
    now.addAndGet(Duration.ofSeconds(6).toNanos());
    l.distributeBudget();
    // both were last seen at their creation, 6 s ago: Fabric forgets both, however active
    assertThat(l.keys()).isZero();
    for (int i = 0; i < 10; i++) {
      l.limitRate("a"); // alone again: the whole limit
    }
    assertThat(waits).hasValue(0);
    assertThat(l.keys()).isEqualTo(1);
  }

  @Test
  void moreKeysThanTheLimitWaitForEveryTransaction() throws Exception {
    SharedRateLimiter l = limiter(1);
    l.limitRate("a"); // alone: a share of 1
    CompletableFuture<Void> b = send(l, "b"); // two keys: a share of 0
    await().atMost(Duration.ofSeconds(10)).until(() -> waiting.get() == 1);
    l.distributeBudget();
    b.get();
  }

  @Test
  void stoppingLetsAWaitingTransactionThrough() throws Exception {
    SharedRateLimiter l = limiter(1);
    l.limitRate("a");
    CompletableFuture<Void> held = send(l, "a");
    await().atMost(Duration.ofSeconds(10)).until(() -> waiting.get() == 1);
    l.stop();
    held.get();
    l.limitRate("a"); // and any later one at once
  }

  private CompletableFuture<Void> send(SharedRateLimiter l, String key) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            l.limitRate(key);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        },
        threads);
  }
}

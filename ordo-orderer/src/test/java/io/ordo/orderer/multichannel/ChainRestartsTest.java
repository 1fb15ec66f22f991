package io.ordo.orderer.multichannel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ChainRestartsTest {
  @Test
  void attemptsGoOnWithADoublingDelayUntilOneSucceeds() {
    List<Long> at = new CopyOnWriteArrayList<>();
    AtomicInteger failuresLeft = new AtomicInteger(3);
    try (ChainRestarts restarts =
        new ChainRestarts(
            Duration.ofMillis(20),
            Duration.ofMillis(80),
            ch -> {
              at.add(System.nanoTime());
              return failuresLeft.getAndDecrement() <= 0;
            })) {
      long start = System.nanoTime();
      restarts.schedule("mychannel");
      assertThat(restarts.scheduled("mychannel")).isTrue();
      await().atMost(Duration.ofSeconds(5)).until(() -> !restarts.scheduled("mychannel"));
      assertThat(at).hasSize(4);
      // 20, 40, 80, 80 ms: at least 220 ms after the schedule
      assertThat(Duration.ofNanos(at.getLast() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(220));
    }
  }

  @Test
  void aCancelledChannelIsNotTriedAgain() {
    AtomicInteger attempts = new AtomicInteger();
    try (ChainRestarts restarts =
        new ChainRestarts(
            Duration.ofMillis(200), Duration.ofSeconds(1), ch -> attempts.incrementAndGet() > 99)) {
      restarts.schedule("mychannel");
      restarts.cancel("mychannel");
      assertThat(restarts.scheduled("mychannel")).isFalse();
      await()
          .during(Duration.ofMillis(400))
          .atMost(Duration.ofSeconds(2))
          .until(() -> attempts.get() == 0);
    }
  }

  @Test
  void aChainThatFailsAgainSoonAfterARestartKeepsDoubling() {
    List<Long> at = new CopyOnWriteArrayList<>();
    try (ChainRestarts restarts =
        new ChainRestarts(
            Duration.ofMillis(20),
            Duration.ofSeconds(10),
            ch -> {
              at.add(System.nanoTime());
              return true;
            })) {
      restarts.schedule("mychannel");
      await().atMost(Duration.ofSeconds(5)).until(() -> at.size() == 1);
      long second = System.nanoTime();
      restarts.schedule("mychannel"); // failed again right after it ran
      await().atMost(Duration.ofSeconds(5)).until(() -> at.size() == 2);
      assertThat(Duration.ofNanos(at.get(1) - second))
          .isGreaterThanOrEqualTo(Duration.ofMillis(40));
    }
  }
}

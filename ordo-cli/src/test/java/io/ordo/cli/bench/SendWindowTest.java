package io.ordo.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SendWindowTest {
  private static final long LONG_WAIT_MILLIS = 60_000;

  @Test
  @Timeout(10)
  void theWholeRoomIsTakenAtOnce() throws InterruptedException {
    SendWindow w = new SendWindow(8, 4);
    assertThat(w.take(100, LONG_WAIT_MILLIS)).isEqualTo(8);
    w.release();
    w.release();
    // fewer than a batch back and the wait runs out: what is there
    assertThat(w.take(100, 1)).isEqualTo(2);
  }

  @Test
  @Timeout(10)
  void aTakerWaitingForABatchIsWokenWhenTheBatchIsBack() throws Exception {
    SendWindow w = new SendWindow(8, 4);
    w.take(100, LONG_WAIT_MILLIS);
    CompletableFuture<Integer> taken = taker(w, 100);
    for (int i = 0; i < 4; i++) {
      w.release();
    }
    assertThat(taken.get(10, TimeUnit.SECONDS)).isEqualTo(4);
  }

  @Test
  @Timeout(10)
  void aTakerNeedingLessThanABatchIsWokenAsSoonAsThatMuchIsBack() throws Exception {
    SendWindow w = new SendWindow(8, 4);
    w.take(100, LONG_WAIT_MILLIS);
    CompletableFuture<Integer> taken = taker(w, 1);
    w.release();
    assertThat(taken.get(10, TimeUnit.SECONDS)).isEqualTo(1);
  }

  @Test
  @Timeout(10)
  void closingWakesTheTaker() throws Exception {
    SendWindow w = new SendWindow(8, 4);
    w.take(100, LONG_WAIT_MILLIS);
    CompletableFuture<Integer> taken = taker(w, 100);
    w.close();
    assertThat(taken.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(w.closed()).isTrue();
  }

  @Test
  void aBatchLargerThanTheWindowIsRefused() {
    assertThatThrownBy(() -> new SendWindow(4, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SendWindow(0, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  private static CompletableFuture<Integer> taker(SendWindow w, int needed) {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    Thread.ofPlatform()
        .start(
            () -> {
              try {
                f.complete(w.take(needed, LONG_WAIT_MILLIS));
              } catch (InterruptedException e) {
                f.completeExceptionally(e);
              }
            });
    return f;
  }
}

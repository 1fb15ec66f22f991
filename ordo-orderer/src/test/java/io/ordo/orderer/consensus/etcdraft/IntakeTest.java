package io.ordo.orderer.consensus.etcdraft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hyperledger.fabric.protos.orderer.SubmitRequest;
import org.junit.jupiter.api.Test;

class IntakeTest {
  private static Submission submission(long seq) {
    return new Submission(SubmitRequest.newBuilder().setLastValidationSeq(seq).build(), false);
  }

  @Test
  void theLoopTakesWhatWasQueuedInOrderWhileItAccepts() throws Exception {
    Intake intake = new Intake();
    intake.put(submission(1), () -> {});
    assertThat(intake.offer(submission(2))).isTrue();
    assertThat(intake.hasWork()).isTrue();
    List<Long> served = new ArrayList<>();
    Submission s;
    while ((s = intake.next()) != null) {
      served.add(s.request().getLastValidationSeq());
      intake.accepting(false); // the first proposal paused the intake
    }
    assertThat(served).containsExactly(1L);
    assertThat(intake.hasWork()).isFalse();
    intake.accepting(true);
    assertThat(intake.hasWork()).isTrue();
    assertThat(intake.next().request().getLastValidationSeq()).isEqualTo(2);
    assertThat(intake.next()).isNull();
  }

  @Test
  void aPausedIntakeRefusesOffersAndHoldsSubmittersUntilItOpens() throws Exception {
    Intake intake = new Intake();
    intake.accepting(false);
    assertThat(intake.isOpen()).isFalse();
    assertThat(intake.offer(submission(1))).isFalse();
    CompletableFuture<Void> put =
        CompletableFuture.runAsync(
            () -> {
              try {
                intake.put(submission(2), () -> {});
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(put).isNotDone();
    intake.accepting(true);
    await().atMost(Duration.ofSeconds(5)).until(put::isDone);
    assertThat(intake.hasWork()).isTrue();
    assertThat(intake.next().request().getLastValidationSeq()).isEqualTo(2);
  }

  @Test
  void aWaitingSubmitterLearnsThatTheChainStopped() {
    Intake intake = new Intake();
    intake.accepting(false);
    AtomicBoolean running = new AtomicBoolean(true);
    CompletableFuture<Void> put =
        CompletableFuture.runAsync(
            () -> {
              try {
                intake.put(
                    submission(1),
                    () -> {
                      if (!running.get()) {
                        throw new IllegalStateException("chain is stopped");
                      }
                    });
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    running.set(false);
    assertThatThrownBy(() -> put.get(5, java.util.concurrent.TimeUnit.SECONDS))
        .hasRootCauseMessage("chain is stopped");
  }

  @Test
  void clearingDropsEverythingAndOpens() throws Exception {
    Intake intake = new Intake();
    intake.put(submission(1), () -> {});
    intake.put(submission(2), () -> {});
    assertThat(intake.hasWork()).isTrue();
    intake.accepting(false);
    assertThat(intake.clear()).isEqualTo(2);
    assertThat(intake.isOpen()).isTrue();
    assertThat(intake.hasWork()).isFalse();
  }

  @Test
  void aBusyIntakeIsPolledEveryMillisecondAndAnIdleOneSleepsTheWholeSlice() throws Exception {
    Intake intake = new Intake();
    long slice = 50_000_000;
    assertThat(intake.parkNanos(slice)).isEqualTo(slice);
    for (int i = 0; i < 10; i++) {
      intake.put(submission(i), () -> {});
    }
    assertThat(intake.hasWork()).isTrue();
    while (intake.next() != null) {
      // served
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> intake.parkNanos(slice) == Intake.POLL_NANOS);
    // busy: a submission queued while the loop polls is not missed when it stops polling
    intake.put(submission(99), () -> {});
    await().atMost(Duration.ofSeconds(5)).until(() -> intake.parkNanos(slice) < 0);
  }
}

package io.ordo.orderer.consensus.etcdraft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.ordo.orderer.consensus.ChainUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.SubmitRequest;
import org.junit.jupiter.api.Test;

/** Where a submission goes, by who leads and where it comes from; no raft node, no cluster. */
class SubmissionRouterTest {
  private static final long SELF = 1;
  private static final long OTHER = 2;

  private final PendingEnvelopes pending = new PendingEnvelopes(TimeUnit.MINUTES.toNanos(1));
  private final Intake intake = new Intake();
  private final List<Long> forwardedTo = new CopyOnWriteArrayList<>();
  private final AtomicBoolean leaderRefuses = new AtomicBoolean();
  private final AtomicBoolean running = new AtomicBoolean(true);

  private SubmissionRouter router(Duration leaderWait) {
    return new SubmissionRouter(
        new SubmissionRouter.Chain(
            "c",
            SELF,
            leaderWait.toNanos(),
            pending,
            intake,
            (leader, request) -> {
              if (leaderRefuses.get()) {
                throw new IllegalStateException("timed out waiting on forwarding to " + leader);
              }
              forwardedTo.add(leader);
            },
            EtcdRaftMetrics.discarding("c"),
            () -> {
              if (!running.get()) {
                throw new ChainUnavailableException("chain is stopped");
              }
            },
            running::get));
  }

  private static SubmitRequest request(int n) {
    return SubmitRequest.newBuilder()
        .setChannel("c")
        .setPayload(
            Envelope.newBuilder()
                .setPayload(ByteString.copyFromUtf8("payload " + n))
                .setSignature(ByteString.copyFromUtf8("signature " + n)))
        .build();
  }

  @Test
  void aLeaderQueuesAClientsEnvelopeAndAFollowerForwardsIt() {
    SubmissionRouter router = router(Duration.ZERO);
    router.leaderSeen(SELF);
    assertThat(router.tryOrder(request(1))).isNotNull();
    assertThat(intake.hasWork()).isTrue();
    assertThat(forwardedTo).isEmpty();

    router.leaderSeen(OTHER);
    assertThat(router.tryOrder(request(2))).as("only a leader queues at once").isNull();
    CompletableFuture<Void> written = router.order(request(2));
    assertThat(forwardedTo).containsExactly(OTHER);
    assertThat(written).isNotDone();
    assertThat(pending.size()).isEqualTo(2);
  }

  @Test
  void anEnvelopeTheLeaderDidNotTakeStaysPendingForTheNextLeaderRatherThanFailing() {
    SubmissionRouter router = router(Duration.ZERO);
    router.leaderSeen(OTHER);
    leaderRefuses.set(true);
    CompletableFuture<Void> written = router.order(request(1));
    assertThat(written).isNotDone();
    assertThat(pending.size()).isEqualTo(1);
    // the next leader's term finds it lost and sends it to that leader
    leaderRefuses.set(false);
    router.leaderSeen(3);
    List<Submission> lost = pending.lostBefore(router.epoch());
    assertThat(lost).hasSize(1);
    router.resubmit(lost, router.epoch());
    await().atMost(Duration.ofSeconds(10)).until(() -> forwardedTo.contains(3L));
  }

  @Test
  void aPeersSubmissionIsNeverForwardedOn() {
    SubmissionRouter router = router(Duration.ofSeconds(30));
    router.leaderSeen(OTHER);
    assertThatThrownBy(() -> router.fromPeer(new Submission(request(1), false)))
        .isInstanceOf(ChainUnavailableException.class)
        .hasMessage("node 1 does not lead channel c; node 2 does");
    // nor held through an election: its sender holds a gRPC thread and waits itself
    router.leaderSeen(0);
    assertThatThrownBy(() -> router.fromPeer(new Submission(request(2), false)))
        .isInstanceOf(ChainUnavailableException.class)
        .hasMessage("no Raft leader");
    assertThat(forwardedTo).isEmpty();
  }

  @Test
  void withoutALeaderAClientIsRefusedAfterTheWaitAndNothingStaysPending() {
    SubmissionRouter router = router(Duration.ofSeconds(1));
    assertThatThrownBy(() -> router.order(request(1)))
        .isInstanceOf(ChainUnavailableException.class)
        .hasMessage("no Raft leader for 1 s");
    assertThat(pending.isEmpty()).isTrue();
  }

  @Test
  void aClientsEnvelopeGivenDuringAnElectionWaitsForTheLeader() {
    SubmissionRouter router = router(Duration.ofSeconds(30));
    CompletableFuture<CompletableFuture<Void>> submitted =
        CompletableFuture.supplyAsync(() -> router.order(request(1)));
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !submitted.isDone());
    router.leaderSeen(OTHER);
    await().atMost(Duration.ofSeconds(10)).until(submitted::isDone);
    assertThat(forwardedTo).containsExactly(OTHER);
    assertThat(submitted.join()).isNotDone();
  }

  @Test
  void theEpochCountsTheLeadersSeenAndAStopEndsTheWait() {
    SubmissionRouter router = router(Duration.ofSeconds(30));
    assertThat(router.epoch()).isZero();
    router.leaderSeen(OTHER);
    router.leaderSeen(OTHER);
    router.leaderSeen(0);
    assertThat(router.epoch()).isEqualTo(1);
    router.leaderSeen(SELF);
    assertThat(router.epoch()).isEqualTo(2);
    assertThat(router.leader()).isEqualTo(SELF);

    router.stopped();
    running.set(false);
    assertThat(router.leader()).isZero();
    assertThat(router.epoch()).isEqualTo(2);
    assertThatThrownBy(() -> router.order(request(1)))
        .isInstanceOf(ChainUnavailableException.class)
        .hasMessage("chain is stopped");
  }
}

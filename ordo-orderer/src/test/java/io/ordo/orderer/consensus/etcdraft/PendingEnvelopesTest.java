package io.ordo.orderer.consensus.etcdraft;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.SubmitRequest;
import org.junit.jupiter.api.Test;

/**
 * An envelope held through a leader change is sent to the new leader once: either by the submitter
 * that held it or as lost at the new leader's term, never by both.
 */
class PendingEnvelopesTest {
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

  private static Submission envelope(int n) {
    Envelope env =
        Envelope.newBuilder()
            .setPayload(ByteString.copyFromUtf8("payload " + n))
            .setSignature(ByteString.copyFromUtf8("signature " + n))
            .build();
    return new Submission(
        SubmitRequest.newBuilder().setChannel("c").setPayload(env).build(), false);
  }

  @Test
  void anEnvelopeFoundLostIsNotAlsoSentByItsSubmitter() {
    PendingEnvelopes pending = new PendingEnvelopes(MINUTE);
    Submission held = envelope(1);
    pending.add(held, 1);

    assertThat(pending.lostBefore(2)).containsExactly(held);
    assertThat(pending.claim(held, 1, 2)).as("the submitter, late").isFalse();
    assertThat(pending.claim(held, 2, 2)).as("the path that found it lost").isTrue();
  }

  @Test
  void anEnvelopeItsSubmitterSentToTheNewLeaderIsNotLost() {
    PendingEnvelopes pending = new PendingEnvelopes(MINUTE);
    Submission held = envelope(1);
    pending.add(held, 1);

    assertThat(pending.claim(held, 1, 2)).isTrue();
    assertThat(pending.lostBefore(2)).isEmpty();
    assertThat(pending.lostBefore(3)).containsExactly(held);
  }

  @Test
  void aWrittenEnvelopeIsNotSent() {
    PendingEnvelopes pending = new PendingEnvelopes(MINUTE);
    Submission held = envelope(1);
    var written = pending.add(held, 1);
    pending.written(
        Block.newBuilder()
            .setData(BlockData.newBuilder().addData(held.request().getPayload().toByteString()))
            .build(),
        false);

    assertThat(written).isCompleted();
    assertThat(pending.claim(held, 1, 2)).isFalse();
    assertThat(pending.lostBefore(2)).isEmpty();
  }

  @Test
  void submitterAndLossCheckRacingSendEachEnvelopeOnce() throws InterruptedException {
    for (int round = 0; round < 200; round++) {
      PendingEnvelopes pending = new PendingEnvelopes(MINUTE);
      List<Submission> held = new ArrayList<>();
      for (int n = 0; n < 50; n++) {
        held.add(envelope(n));
        pending.add(held.getLast(), 1);
      }
      CountDownLatch go = new CountDownLatch(1);
      List<Submission> claimedBySubmitters =
          java.util.Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean interrupted = new AtomicBoolean();
      Thread submitters =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      go.await();
                    } catch (InterruptedException e) {
                      interrupted.set(true);
                      return;
                    }
                    for (Submission s : held) {
                      if (pending.claim(s, 1, 2)) {
                        claimedBySubmitters.add(s);
                      }
                    }
                  });
      go.countDown();
      List<Submission> lost = pending.lostBefore(2);
      submitters.join();

      assertThat(interrupted).isFalse();
      List<Submission> sent = new ArrayList<>(claimedBySubmitters);
      sent.addAll(lost);
      assertThat(sent).as("round %d", round).hasSize(held.size()).doesNotHaveDuplicates();
    }
  }
}

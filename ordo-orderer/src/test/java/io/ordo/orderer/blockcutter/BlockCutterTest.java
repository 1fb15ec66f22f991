package io.ordo.orderer.blockcutter;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ordo.fabric.channelconfig.BatchSizeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.hyperledger.fabric.protos.common.Envelope;
import org.junit.jupiter.api.Test;

class BlockCutterTest {
  private final AtomicReference<BatchSizeConfig> config =
      new AtomicReference<>(new BatchSizeConfig(3, 1000, 100));
  private final List<Long> fills = new ArrayList<>();
  private final BlockCutter cutter = new BlockCutter(config::get, fills::add);

  /** An envelope of {@code payload} + {@code signature} bytes, tagged by its first byte. */
  private static Envelope env(int tag, int payload, int signature) {
    byte[] p = new byte[payload];
    p[0] = (byte) tag;
    return Envelope.newBuilder()
        .setPayload(ByteString.copyFrom(p))
        .setSignature(ByteString.copyFrom(new byte[signature]))
        .build();
  }

  private static Envelope env(int tag, int size) {
    return env(tag, size - 10, 10);
  }

  @Test
  void theSizeIsPayloadPlusSignature() {
    assertThat(BlockCutter.sizeOf(env(1, 30, 12))).isEqualTo(42);
  }

  @Test
  void envelopesStayPendingUntilMaxMessageCountCutsThem() {
    var a = cutter.ordered(env(1, 20));
    assertThat(a.batches()).isEmpty();
    assertThat(a.pending()).isTrue();
    var b = cutter.ordered(env(2, 20));
    assertThat(b.batches()).isEmpty();
    var c = cutter.ordered(env(3, 20));
    assertThat(c.batches()).containsExactly(List.of(env(1, 20), env(2, 20), env(3, 20)));
    assertThat(c.pending()).isFalse();
    assertThat(cutter.pendingCount()).isZero();
  }

  @Test
  void eachCutBatchTellsHowLongItTookToFillAndAnEmptyCutTellsNothing() {
    assertThat(cutter.cut()).isEmpty();
    assertThat(fills).as("nothing was pending").isEmpty();
    cutter.ordered(env(1, 20));
    cutter.ordered(env(2, 20));
    cutter.ordered(env(3, 20)); // MaxMessageCount cuts
    cutter.ordered(env(4, 20));
    cutter.cut(); // the batch timer cuts
    assertThat(fills).hasSize(2).allSatisfy(n -> assertThat(n).isNotNegative());
  }

  @Test
  void anEnvelopeLargerThanPreferredMaxBytesFillsItsBatchInNoTime() {
    cutter.ordered(env(1, 20));
    cutter.ordered(env(2, 150));
    assertThat(fills).as("the pending batch, then the large envelope's own").hasSize(2);
    assertThat(fills.get(1)).isZero();
  }

  @Test
  void anEnvelopeThatWouldOverflowPreferredMaxBytesCutsThePendingBatchFirst() {
    cutter.ordered(env(1, 40));
    cutter.ordered(env(2, 40));
    var r = cutter.ordered(env(3, 40)); // 120 > 100
    assertThat(r.batches()).containsExactly(List.of(env(1, 40), env(2, 40)));
    assertThat(r.pending()).isTrue();
    assertThat(cutter.cut()).containsExactly(env(3, 40));
  }

  @Test
  void reachingPreferredMaxBytesExactlyDoesNotCut() {
    cutter.ordered(env(1, 50));
    var r = cutter.ordered(env(2, 50)); // 100 == preferred: fits
    assertThat(r.batches()).isEmpty();
    assertThat(r.pending()).isTrue();
  }

  @Test
  void anOversizedEnvelopeIsCutAloneAfterThePendingBatch() {
    cutter.ordered(env(1, 30));
    var r = cutter.ordered(env(2, 101));
    assertThat(r.batches()).containsExactly(List.of(env(1, 30)), List.of(env(2, 101)));
    assertThat(r.pending()).isFalse();
    assertThat(cutter.pendingCount()).isZero();
  }

  @Test
  void anOversizedEnvelopeWithNothingPendingIsOneBatch() {
    var r = cutter.ordered(env(1, 500));
    assertThat(r.batches()).containsExactly(List.of(env(1, 500)));
    assertThat(r.pending()).isFalse();
  }

  @Test
  void overflowAndCountCanCutTwoBatchesAtOnce() {
    config.set(new BatchSizeConfig(2, 1000, 100));
    cutter.ordered(env(1, 60));
    // overflow cuts [1]; [2] alone stays under the count of 2
    var r = cutter.ordered(env(2, 60));
    assertThat(r.batches()).containsExactly(List.of(env(1, 60)));
    config.set(new BatchSizeConfig(1, 1000, 100));
    // with MaxMessageCount 1: overflow cuts [2], then [3] alone reaches the count
    var both = cutter.ordered(env(3, 60));
    assertThat(both.batches()).containsExactly(List.of(env(2, 60)), List.of(env(3, 60)));
    assertThat(both.pending()).isFalse();
  }

  @Test
  void cutReturnsAndClearsThePendingBatchAndIsEmptyWhenNothingWaits() {
    assertThat(cutter.cut()).isEmpty();
    cutter.ordered(env(1, 20));
    cutter.ordered(env(2, 20));
    assertThat(cutter.cut()).containsExactly(env(1, 20), env(2, 20));
    assertThat(cutter.cut()).isEmpty();
    // pending bytes were reset too: two 50-byte envelopes fit again
    cutter.ordered(env(3, 50));
    assertThat(cutter.ordered(env(4, 50)).batches()).isEmpty();
  }

  @Test
  void aNewBatchSizeAppliesFromTheNextEnvelope() {
    cutter.ordered(env(1, 20));
    cutter.ordered(env(2, 20));
    config.set(new BatchSizeConfig(10, 1000, 100));
    assertThat(cutter.ordered(env(3, 20)).batches()).isEmpty();
    config.set(new BatchSizeConfig(10, 1000, 30));
    var r = cutter.ordered(env(4, 20)); // 80 pending + 20 > 30
    assertThat(r.batches()).containsExactly(List.of(env(1, 20), env(2, 20), env(3, 20)));
  }
}

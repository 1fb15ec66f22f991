package io.ordo.orderer.consensus.etcdraft;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ordo.fabric.envelope.Envelopes;
import io.ordo.orderer.consensus.ConsenterSupport;
import io.ordo.orderer.testing.TestOrg;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.orderer.SubmitRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leader's batching and proposing, against a real cutter, processor and ledger. */
class BlockProposerTest {
  private static final int MAX_MESSAGES = 3;
  private static final int MAX_INFLIGHT = 2;

  @TempDir Path dir;
  private ChainCluster cluster;
  private ConsenterSupport support;
  private final List<Block> proposals = new ArrayList<>();
  private final List<Long> terms = new ArrayList<>();
  private BlockProposer proposer;
  private final SecureRandom random = new SecureRandom();

  @BeforeEach
  void open() {
    cluster =
        new ChainCluster(dir, 1, MAX_MESSAGES, Duration.ofMillis(200), Duration.ofMillis(100), 0);
    support = cluster.openSupport(1);
    proposer =
        new BlockProposer(
            ChainCluster.CHANNEL,
            1,
            support,
            (term, data) -> {
              terms.add(term);
              try {
                proposals.add(Block.parseFrom(data));
              } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
              }
            },
            MAX_INFLIGHT,
            EtcdRaftMetrics.discarding(ChainCluster.CHANNEL));
    proposer.elected(7);
    proposer.startLeading(support.block(support.height() - 1));
  }

  @AfterEach
  void close() {
    cluster.close();
  }

  private SubmitRequest normal(String data) {
    Envelope env =
        Envelopes.signed(
            HeaderType.ENDORSER_TRANSACTION,
            ChainCluster.CHANNEL,
            ByteString.copyFromUtf8(data),
            ChainCluster.CLIENT,
            random,
            TestOrg.NOW);
    return SubmitRequest.newBuilder()
        .setChannel(ChainCluster.CHANNEL)
        .setLastValidationSeq(cluster.config.sequence())
        .setPayload(env)
        .build();
  }

  @Test
  void fullBatchesAreProposedUnderTheLeadersTermAndCountedInFlight() {
    for (int i = 0; i < 2 * MAX_MESSAGES; i++) {
      proposer.orderNormal(normal("tx" + i));
    }
    assertThat(proposals).hasSize(2);
    assertThat(proposals).extracting(b -> b.getHeader().getNumber()).containsExactly(1L, 2L);
    assertThat(proposals).allSatisfy(b -> assertThat(b.getData().getDataCount()).isEqualTo(3));
    assertThat(terms).containsOnly(7L);
    assertThat(proposer.mustPause()).as("max_inflight_blocks reached").isTrue();
    assertThat(proposer.mayAccept()).isFalse();

    Optional<BlockProposer.Proposed> first = proposer.takeProposed(1);
    assertThat(first).hasValueSatisfying(p -> assertThat(p.config()).isFalse());
    assertThat(first.get().block().getHeader().getNumber()).isEqualTo(1);
    proposer.blockWritten();
    assertThat(proposer.mayAccept()).isTrue();
    assertThat(proposer.takeProposed(1)).as("taken once").isEmpty();
  }

  @Test
  void whatTheCutterHoldsIsProposedWhenTheBatchTimerExpires() {
    proposer.orderNormal(normal("lonely"));
    assertThat(proposals).isEmpty();
    long now = System.nanoTime();
    assertThat(proposer.nanosToTimer(now, -1)).isBetween(1L, Duration.ofMillis(200).toNanos());
    assertThat(proposer.timerExpired(now + Duration.ofMillis(201).toNanos())).isTrue();
    assertThat(proposer.cutPending()).isTrue();
    assertThat(proposals)
        .singleElement()
        .satisfies(b -> assertThat(b.getData().getDataCount()).isEqualTo(1));
    assertThat(proposer.nanosToTimer(now, -1)).as("timer off").isEqualTo(-1);
    assertThat(proposer.cutPending()).as("nothing left").isFalse();
  }

  @Test
  void anIdleLeaderCutsAPartialBatchAfterTheLingerButNotWhileItsBlocksAreInFlight() {
    long linger = Duration.ofMillis(10).toNanos();
    assertThat(proposer.idleCutDue(System.nanoTime() + linger, linger))
        .as("nothing held")
        .isFalse();
    proposer.orderNormal(normal("a"));
    long now = System.nanoTime();
    assertThat(proposer.idleCutDue(now, Duration.ofDays(1).toNanos())).isFalse();
    assertThat(proposer.nanosToIdleCut(now, linger, -1)).isBetween(0L, linger);
    assertThat(proposer.idleCutDue(now + linger, linger)).isTrue();
    assertThat(proposer.cutPending()).isTrue();
    assertThat(proposals).singleElement();

    // a block in flight: the next partial batch waits for it (or for the batch timer)
    proposer.orderNormal(normal("b"));
    assertThat(proposer.idleCutDue(System.nanoTime() + linger, linger)).isFalse();
    assertThat(proposer.nanosToIdleCut(System.nanoTime(), linger, -1)).isEqualTo(-1);
    proposer.blockWritten();
    assertThat(proposer.idleCutDue(System.nanoTime() + linger, linger)).isTrue();
  }

  @Test
  void aConfigIsProposedAloneAfterWhatWasPendingAndPausesIntake() {
    proposer.orderNormal(normal("pending"));
    Envelope config = normal("stands in for a config envelope").getPayload();
    proposer.proposeConfig(config);
    assertThat(proposals).hasSize(2);
    assertThat(proposals.get(1).getData().getDataList()).containsExactly(config.toByteString());
    assertThat(proposer.takeProposed(2)).hasValueSatisfying(p -> assertThat(p.config()).isTrue());
    assertThat(proposer.configInflight()).isTrue();
    assertThat(proposer.mustPause()).isTrue();
    assertThat(proposer.nanosToTimer(System.nanoTime(), -1)).isEqualTo(-1);
  }

  @Test
  void steppingDownDropsWhatWasPendingAndStopsProposing() {
    proposer.orderNormal(normal("a"));
    proposer.orderNormal(normal("b"));
    assertThat(proposer.stepDown()).isEqualTo(2);
    assertThat(proposer.leading()).isFalse();
    assertThat(proposer.cutPending()).isFalse();
    assertThat(proposer.mayAccept()).isTrue();
  }

  @Test
  void anEnvelopeValidatedAtAnOlderConfigIsCheckedAgainAndDroppedWhenItNoLongerPasses() {
    SubmitRequest forged =
        normal("x").toBuilder()
            .setLastValidationSeq(cluster.config.sequence() - 1)
            .setPayload(
                normal("x").getPayload().toBuilder().setSignature(ByteString.copyFromUtf8("no")))
            .build();
    proposer.orderNormal(forged);
    assertThat(proposals).isEmpty();
    assertThat(proposer.nanosToTimer(System.nanoTime(), -1)).isEqualTo(-1);
  }
}

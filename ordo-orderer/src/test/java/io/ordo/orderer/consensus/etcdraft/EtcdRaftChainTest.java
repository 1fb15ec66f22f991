package io.ordo.orderer.consensus.etcdraft;

import static io.ordo.orderer.consensus.etcdraft.ChainCluster.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.block.BlockHashing;
import io.ordo.fabric.block.BlockVerifier;
import io.ordo.fabric.block.Blocks;
import io.ordo.fabric.block.MetadataSlot;
import io.ordo.fabric.envelope.Envelopes;
import io.ordo.orderer.consensus.ChainUnavailableException;
import io.ordo.orderer.testing.TestOrg;
import io.ordo.storage.ledger.BlockLedger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.orderer.etcdraft.BlockMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdRaftChainTest {
  private static final Duration TICK = Duration.ofMillis(15);
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();
  private ChainCluster cluster;
  private int nextTx;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private ChainCluster cluster(int maxMessageCount, Duration batchTimeout) {
    cluster = new ChainCluster(dir, 3, maxMessageCount, batchTimeout, TICK, 0);
    return cluster;
  }

  private Envelope tx() {
    String id = "tx-" + nextTx++;
    return Envelopes.signed(
        HeaderType.ENDORSER_TRANSACTION,
        CHANNEL,
        ByteString.copyFromUtf8(id),
        ChainCluster.CLIENT,
        random,
        TestOrg.NOW);
  }

  /** Orders through {@code id}, retrying while the cluster has no leader. */
  private List<String> orderThrough(long id, int count) {
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Envelope env = tx();
      await()
          .atMost(WAIT)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(10))
          .ignoreException(ChainUnavailableException.class)
          .until(
              () -> {
                cluster.chains.get(id).order(env, 0);
                return true;
              });
      sent.add(payloadData(env));
    }
    return sent;
  }

  private long awaitLeader(List<Long> among) {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              long l = cluster.chains.get(among.getFirst()).leader();
              return l != 0
                  && among.contains(l)
                  && among.stream().allMatch(id -> cluster.chains.get(id).leader() == l);
            });
    return cluster.chains.get(among.getFirst()).leader();
  }

  private static String payloadData(Envelope env) {
    try {
      return Payload.parseFrom(env.getPayload()).getData().toStringUtf8();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  /** The envelopes' payload data of blocks 1.. of a ledger, in order. */
  private static List<String> ordered(BlockLedger ledger) {
    List<String> out = new ArrayList<>();
    for (long n = 1; n < ledger.height(); n++) {
      for (ByteString data : ledger.block(n).getData().getDataList()) {
        try {
          out.add(payloadData(Envelope.parseFrom(data)));
        } catch (InvalidProtocolBufferException e) {
          throw new AssertionError(e);
        }
      }
    }
    return out;
  }

  private void awaitAllHold(List<Long> ids, List<String> sent) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                ids.stream()
                    .allMatch(id -> ordered(cluster.ledgers.get(id)).size() >= sent.size()));
    for (long id : ids) {
      assertThat(ordered(cluster.ledgers.get(id)))
          .as("envelopes in the ledger of %d", id)
          .containsExactlyInAnyOrderElementsOf(sent);
    }
  }

  /** Hash chain, data hashes, signatures, etcdraft metadata; same header and data everywhere. */
  private void assertIdenticalValidLedgers(List<Long> ids) {
    BlockVerifier verifier =
        new BlockVerifier(cluster.config.policies().get("/Channel/Orderer/BlockValidation"));
    long height = cluster.ledgers.get(ids.getFirst()).height();
    for (long id : ids) {
      BlockLedger ledger = cluster.ledgers.get(id);
      assertThat(ledger.height()).as("height of %d", id).isEqualTo(height);
      long lastRaftIndex = 0;
      for (long n = 1; n < height; n++) {
        Block block = ledger.block(n);
        byte[] previous = BlockHashing.headerHash(ledger.block(n - 1).getHeader());
        verifier.verify(block, previous);
        BlockMetadata md = raftMetadata(block);
        assertThat(md.getConsenterIdsList()).containsExactlyElementsOf(cluster.ids);
        assertThat(md.getRaftIndex())
            .as("raft index of block %d on %d", n, id)
            .isGreaterThan(lastRaftIndex);
        lastRaftIndex = md.getRaftIndex();
        Block other = cluster.ledgers.get(ids.getFirst()).block(n);
        assertThat(block.getHeader()).isEqualTo(other.getHeader());
        assertThat(block.getData()).isEqualTo(other.getData());
        if (id != ids.getFirst()) {
          assertThat(Blocks.slot(block, MetadataSlot.SIGNATURES))
              .as("each orderer signs with its own key")
              .isNotEqualTo(Blocks.slot(other, MetadataSlot.SIGNATURES));
        }
      }
    }
  }

  private static BlockMetadata raftMetadata(Block block) {
    try {
      return BlockMetadata.parseFrom(Blocks.consenterMetadata(block));
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void envelopesOrderedThroughEveryNodeComeOutAsIdenticalSignedBlocks() {
    cluster(10, Duration.ofMillis(100));
    cluster.ids.forEach(cluster::start);
    long leader = awaitLeader(cluster.ids);
    assertThat(leader).isEqualTo(CampaignRule.campaigner(CHANNEL, 3));
    List<String> sent = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      for (long id : cluster.ids) {
        sent.addAll(orderThrough(id, 7));
      }
    }
    awaitAllHold(cluster.ids, sent);
    assertIdenticalValidLedgers(cluster.ids);
    assertThat(cluster.ledgers.get(1L).height()).isGreaterThan(sent.size() / 10);
    // the leader writes the blocks it made as they are; followers decode theirs from entries
    for (long id : cluster.ids) {
      int own = cluster.ownBlockWrites.get(id).get();
      if (id == leader) {
        assertThat(own).as("blocks node %d wrote as made", id).isPositive();
      } else {
        assertThat(own).as("blocks node %d wrote as made", id).isZero();
      }
    }
  }

  @Test
  void aConfigEnvelopeIsCutIntoABlockOfItsOwn() {
    cluster(10, Duration.ofSeconds(30));
    cluster.ids.forEach(cluster::start);
    long leader = awaitLeader(cluster.ids);
    List<String> before = orderThrough(leader, 3);
    Envelope config =
        Envelopes.signed(
            HeaderType.CONFIG,
            CHANNEL,
            ConfigEnvelope.newBuilder()
                .setConfig(cluster.config.config().toBuilder().setSequence(1))
                .build()
                .toByteString(),
            cluster.signers.get(leader),
            random,
            TestOrg.NOW);
    cluster.chains.get(leader).configure(config, 0);
    List<String> after = orderThrough(leader, 10);
    List<String> all = new ArrayList<>(before);
    all.add(payloadData(config));
    all.addAll(after);
    awaitAllHold(cluster.ids, all);
    // however the envelopes around it were cut (an idle leader may cut a partial batch early),
    // the config is a block alone, between what was sent before and after it
    for (long id : cluster.ids) {
      BlockLedger ledger = cluster.ledgers.get(id);
      long configBlock =
          LongStream.range(1, ledger.height())
              .filter(n -> ledger.block(n).getData().getDataList().contains(config.toByteString()))
              .findFirst()
              .orElseThrow();
      assertThat(ledger.block(configBlock).getData().getDataList())
          .containsExactly(config.toByteString());
      List<String> inOrder = ordered(ledger);
      assertThat(inOrder.subList(0, before.size())).containsExactlyElementsOf(before);
      assertThat(inOrder.subList(before.size() + 1, inOrder.size()))
          .containsExactlyElementsOf(after);
      for (long n = 1; n < ledger.height(); n++) {
        assertThat(Blocks.lastConfigIndex(ledger.block(n)))
            .as("last config of block %d", n)
            .isEqualTo(n < configBlock ? 0 : configBlock);
      }
    }
    assertIdenticalValidLedgers(cluster.ids);
  }

  @Test
  void restartingOneNodeThenAllLosesAndDuplicatesNoBlock() {
    cluster(5, Duration.ofMillis(50));
    cluster.ids.forEach(cluster::start);
    long leader = awaitLeader(cluster.ids);
    List<String> sent = new ArrayList<>(orderThrough(leader, 12));
    awaitAllHold(cluster.ids, sent);

    long follower = cluster.ids.stream().filter(id -> id != leader).findFirst().orElseThrow();
    cluster.stop(follower);
    List<Long> others = cluster.ids.stream().filter(id -> id != follower).toList();
    sent.addAll(orderThrough(leader, 12));
    awaitAllHold(others, sent);
    cluster.start(follower);
    sent.addAll(orderThrough(follower, 12));
    awaitAllHold(cluster.ids, sent);

    cluster.ids.forEach(cluster::stop);
    cluster.ids.forEach(cluster::start);
    awaitLeader(cluster.ids);
    for (long id : cluster.ids) {
      sent.addAll(orderThrough(id, 4));
    }
    awaitAllHold(cluster.ids, sent);
    assertIdenticalValidLedgers(cluster.ids);
  }

  @Test
  void whenTheLeaderStopsANewLeaderKeepsBlocksFlowing() {
    cluster(5, Duration.ofMillis(50));
    cluster.ids.forEach(cluster::start);
    long leader = awaitLeader(cluster.ids);
    List<String> sent = new ArrayList<>(orderThrough(leader, 10));
    awaitAllHold(cluster.ids, sent);

    cluster.stop(leader);
    List<Long> survivors = cluster.ids.stream().filter(id -> id != leader).toList();
    long newLeader = awaitLeader(survivors);
    assertThat(newLeader).isNotEqualTo(leader);
    for (long id : survivors) {
      sent.addAll(orderThrough(id, 6));
    }
    awaitAllHold(survivors, sent);
    assertIdenticalValidLedgers(survivors);

    cluster.start(leader);
    awaitAllHold(cluster.ids, sent);
    assertIdenticalValidLedgers(cluster.ids);
  }

  @Test
  void snapshotsTakenEverySnapshotIntervalSizeAreWhereAFullRestartResumes() throws Exception {
    cluster = new ChainCluster(dir, 3, 5, Duration.ofMillis(50), TICK, 4 * 1024);
    cluster.ids.forEach(cluster::start);
    long leader = awaitLeader(cluster.ids);
    List<String> sent = new ArrayList<>(orderThrough(leader, 60));
    awaitAllHold(cluster.ids, sent);
    for (long id : cluster.ids) {
      Path snapDir = dir.resolve("orderer" + id).resolve("etcdraft").resolve("snap");
      await()
          .atMost(WAIT)
          .until(
              () ->
                  java.nio.file.Files.list(snapDir).anyMatch(p -> p.toString().endsWith(".snap")));
    }
    cluster.ids.forEach(cluster::stop);
    cluster.ids.forEach(cluster::start);
    for (long id : cluster.ids) {
      sent.addAll(orderThrough(id, 5));
    }
    awaitAllHold(cluster.ids, sent);
    assertIdenticalValidLedgers(cluster.ids);
  }

  @Test
  void theLeaderPausesIntakeAtMaxInflightBlocksUntilBlocksCommit() {
    // a slow tick keeps check-quorum (10 ticks) from deposing the cut-off leader during the test
    cluster = new ChainCluster(dir, 3, 1, Duration.ofMillis(50), Duration.ofMillis(200), 0);
    cluster.ids.forEach(cluster::start);
    long leader = awaitLeader(cluster.ids);
    EtcdRaftChain chain = cluster.chains.get(leader);
    List<String> sent = new ArrayList<>(orderThrough(leader, 1));
    awaitAllHold(cluster.ids, sent);
    List<Long> followers = cluster.ids.stream().filter(id -> id != leader).toList();
    followers.forEach(cluster.network::isolate);
    sent.addAll(orderThrough(leader, 5)); // one block each: max_inflight_blocks (5) in flight
    // order() only queues; the loop closes its intake once it has proposed the fifth block
    await().atMost(WAIT).until(() -> !chain.intakeOpen());
    Envelope refusedAtOnce = tx();
    assertThat(chain.tryOrder(refusedAtOnce, 0)).as("tryOrder while intake is paused").isNull();
    Envelope sixth = tx();
    sent.add(payloadData(sixth));
    CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> chain.order(sixth, 0));
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(1))
        .until(() -> !blocked.isDone());
    followers.forEach(cluster.network::heal);
    await().atMost(WAIT).until(blocked::isDone);
    assertThat(blocked).isNotCompletedExceptionally();
    awaitAllHold(cluster.ids, sent);
    assertIdenticalValidLedgers(cluster.ids);
  }

  @Test
  void aStoppedChainRefusesEnvelopesAndReportsErrored() {
    cluster(5, Duration.ofMillis(50));
    EtcdRaftChain chain = cluster.start(1);
    assertThat(chain.errored()).isNotDone();
    cluster.stop(1);
    assertThat(chain.errored()).isDone();
    Envelope env = tx();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> chain.order(env, 0))
        .isInstanceOf(ChainUnavailableException.class)
        .hasMessage("chain is stopped");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> chain.tryOrder(env, 0))
        .isInstanceOf(ChainUnavailableException.class)
        .hasMessage("chain is stopped");
  }

  @Test
  void onlyTheLeaderTakesAnEnvelopeWithoutWaitingAndItIsOrderedLikeAnyOther() {
    cluster(10, Duration.ofMillis(50));
    cluster.ids.forEach(cluster::start);
    long leader = awaitLeader(cluster.ids);
    long follower = cluster.ids.stream().filter(id -> id != leader).findFirst().orElseThrow();
    Envelope viaFollower = tx();
    assertThat(cluster.chains.get(follower).tryOrder(viaFollower, 0))
        .as("a follower forwards, which may wait")
        .isNull();
    List<String> sent = new ArrayList<>();
    List<CompletableFuture<Void>> written = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Envelope e = tx();
      CompletableFuture<Void> taken = cluster.chains.get(leader).tryOrder(e, 0);
      assertThat(taken).isNotNull();
      written.add(taken);
      sent.add(payloadData(e));
    }
    awaitAllHold(cluster.ids, sent);
    await().atMost(WAIT).until(() -> written.stream().allMatch(CompletableFuture::isDone));
    assertThat(written).allSatisfy(f -> assertThat(f).isCompleted());
    assertIdenticalValidLedgers(cluster.ids);
  }
}

package io.ordo.orderer.consensus.etcdraft;

import static io.ordo.orderer.consensus.etcdraft.ChainCluster.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.ordo.fabric.envelope.Envelopes;
import io.ordo.orderer.consensus.ChainUnavailableException;
import io.ordo.orderer.testing.TestOrg;
import io.ordo.storage.ledger.BlockLedger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chain asked to catch up (Fabric's artificial snapshot) pulls the blocks it misses on its own
 * loop, here from another consenter's ledger as the block puller would bring them, and then goes on
 * with raft without writing any block twice.
 */
class EtcdRaftChainCatchUpTest {
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

  @Test
  void anIsolatedMemberAskedToCatchUpPullsUpToThatBlockThenRejoinsWithoutDuplicates() {
    cluster = new ChainCluster(dir, 3, 2, Duration.ofMillis(50), TICK, 0);
    AtomicInteger pulls = new AtomicInteger();
    for (long id : cluster.ids) {
      cluster.start(id, copyingFromTheHighestOtherLedger(id, pulls));
    }
    long leader = awaitLeader(cluster.ids);
    long laggingId = leader % 3 + 1;
    EtcdRaftChain lagging = cluster.chains.get(laggingId);
    BlockLedger laggingLedger = cluster.ledgers.get(laggingId);
    cluster.network.isolate(laggingId);
    orderThrough(leader, 20);
    BlockLedger leaderLedger = cluster.ledgers.get(leader);
    await().atMost(WAIT).until(() -> leaderLedger.height() >= 8);
    long target = leaderLedger.height() - 1;
    assertThat(laggingLedger.height()).isLessThanOrEqualTo(target);

    lagging.catchUpTo(target);
    await().atMost(WAIT).until(() -> laggingLedger.height() == target + 1);
    assertThat(pulls).hasValue(1);

    cluster.network.heal(laggingId);
    orderThrough(leader, 6);
    await().atMost(WAIT).until(() -> laggingLedger.height() == leaderLedger.height());
    for (long n = 0; n < laggingLedger.height(); n++) {
      assertThat(laggingLedger.block(n).getHeader()).isEqualTo(leaderLedger.block(n).getHeader());
      assertThat(laggingLedger.block(n).getData()).isEqualTo(leaderLedger.block(n).getData());
    }
    assertThat(lagging.errored()).isNotDone();
  }

  /** Stands in for the block puller: the blocks as the most advanced other consenter holds them. */
  private CatchUp copyingFromTheHighestOtherLedger(long self, AtomicInteger pulls) {
    return (support, to) -> {
      pulls.incrementAndGet();
      BlockLedger source =
          cluster.ledgers.entrySet().stream()
              .filter(e -> e.getKey() != self)
              .map(java.util.Map.Entry::getValue)
              .max(java.util.Comparator.comparingLong(BlockLedger::height))
              .orElseThrow();
      List<Block> run = new ArrayList<>();
      for (long n = support.height(); n <= to; n++) {
        run.add(source.block(n));
      }
      support.appendPulledBlocks(run);
    };
  }

  private Envelope tx() {
    return Envelopes.signed(
        HeaderType.ENDORSER_TRANSACTION,
        CHANNEL,
        ByteString.copyFromUtf8("tx-" + nextTx++),
        ChainCluster.CLIENT,
        random,
        TestOrg.NOW);
  }

  private void orderThrough(long id, int count) {
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
    }
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
}

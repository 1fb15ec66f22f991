package io.ordo.orderer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.orderer.replication.PulledChain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node stopped while the others order more than three snapshot intervals of blocks: on restart
 * the leader sends it a snapshot, and it pulls the blocks it misses from the other orderers over
 * TLS before applying it.
 */
class SnapshotCatchUpProcessTest {
  private static final Duration AWAIT = Duration.ofSeconds(30);
  private static final Duration QUIET = Duration.ofMillis(800);
  private static final int INTERVAL_BYTES = 32 * 1024;

  @TempDir Path dir;
  private ProcessCluster cluster;
  private SignedRequests requests;
  private final Set<String> sent = new HashSet<>();

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void aNodeDownForThreeSnapshotIntervalsCatchesUpBySnapshotAndPullingAndItsLedgerVerifies() {
    cluster =
        new ProcessCluster(
            dir,
            ProcessCluster.logDir(getClass(), "snapshotCatchUp"),
            ClusterSettings.threeNodes().withSnapshots("32 KB", 10));
    requests = new SignedRequests(cluster.files.member());
    List<Integer> all = cluster.genesisConsenters();
    cluster.startAll();
    cluster.joinAll();
    int leader = cluster.awaitLeader(AWAIT);
    broadcast(leader, "before", 10);
    cluster.awaitSameHeight(all, QUIET, AWAIT);

    int down = all.stream().filter(n -> n != leader).findFirst().orElseThrow();
    List<Integer> up = all.stream().filter(n -> n != down).toList();
    long heightBefore = cluster.height(down).orElseThrow();
    cluster.stop(down);
    int batch = 0;
    while (bytesAfter(up.getFirst(), heightBefore) < 3 * INTERVAL_BYTES) {
      assertThat(batch).as("batches needed for three snapshot intervals").isLessThan(50);
      broadcast(up.get(batch % 2), "while-down-" + batch++, 20);
      cluster.awaitSameHeight(up, Duration.ofMillis(300), AWAIT);
    }
    assertThat(snapshotFiles(leader)).as("snapshots taken by the leader").isNotEmpty();

    long mark = cluster.logSize(down);
    cluster.start(down);
    broadcast(leader, "after", 5);
    long height = cluster.awaitSameHeight(all, QUIET, AWAIT);
    assertThat(height).isGreaterThan(heightBefore + 10);
    String log = cluster.logSince(down, mark);
    assertThat(log)
        .as("node %d's log after its restart", down)
        .contains("pulling the blocks in between")
        .contains("by pulling");

    Map<Integer, List<Block>> chains = new LinkedHashMap<>();
    all.forEach(n -> chains.put(n, Chains.read(cluster, requests, n)));
    Chains.assertSameHeight(chains);
    chains.forEach(
        (n, c) -> {
          Chains.assertHashChained(n, c);
          Chains.assertSigned(n, c);
          Chains.assertSameAtEveryHeight(leader, chains.get(leader), n, c);
        });
    PulledChain verified =
        PulledChain.fromGenesis(ClusterFiles.CHANNEL, new ChannelConfigLoader(Ecdsa.preferred()));
    chains.get(down).forEach(verified::verify);
    assertThat(verified.next()).isEqualTo(height);
    List<String> ordered = Chains.ids(chains.get(down));
    Chains.assertNoDuplicates(ordered);
    assertThat(new HashSet<>(ordered)).isEqualTo(sent);
    System.out.printf(
        "snapshotCatchUp: node %d caught up from block %d to %d (%d bytes of blocks)%n",
        down, heightBefore, height, bytesAfter(leader, heightBefore));
  }

  private void broadcast(int node, String prefix, int count) {
    sent.addAll(BroadcastCall.allAccepted(cluster, requests, node, prefix, count, AWAIT));
  }

  /** The size of node {@code node}'s blocks from {@code from} on. */
  private long bytesAfter(int node, long from) {
    return Chains.read(cluster, requests, node).stream()
        .skip(from)
        .mapToLong(Block::getSerializedSize)
        .sum();
  }

  private List<Path> snapshotFiles(int node) {
    Path snaps =
        cluster.files.nodeDir(node).resolve("etcdraft/snapshot").resolve(ClusterFiles.CHANNEL);
    if (!Files.isDirectory(snaps)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(snaps)) {
      return s.toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + snaps, e);
    }
  }
}

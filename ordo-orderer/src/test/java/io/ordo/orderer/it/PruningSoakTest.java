package io.ordo.orderer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.orderer.testing.OrdererConfigUpdates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long run of ledger pruning with KeepBlocks 1,000 (256 KB block files, SnapshotIntervalSize 256
 * KB, Interval 2 s) on three orderer processes: rounds of 500 envelopes, each ended by a config
 * update, for {@code -Dordo.prune.soak.rounds} rounds (60 by default, about 3,000 blocks); after
 * each round the ledger folder of every node is measured and printed. Once the chain is well past
 * KeepBlocks, the folder stays flat: the largest size of the last third of the rounds is within a
 * quarter of the largest of the middle third, while the chain keeps growing. Behind the soak
 * profile ({@code mvn -B -Psoak -pl ordo-orderer -am verify -Dtest=PruningSoakTest
 * -Dsurefire.failIfNoSpecifiedTests=false}).
 */
@Tag("soak")
class PruningSoakTest {
  private static final Duration AWAIT = Duration.ofMinutes(3);
  private static final int KEEP_BLOCKS = 1_000;
  private static final int PER_ROUND = 500;

  @TempDir Path dir;
  private ProcessCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private record Sample(int round, long seconds, long height, long[] bytes) {}

  @Test
  void theLedgerFoldersStayFlatUnderConstantLoad() {
    int rounds = Integer.getInteger("ordo.prune.soak.rounds", 600);
    cluster =
        new ProcessCluster(
            dir,
            ProcessCluster.logDir(getClass(), "soak"),
            ClusterSettings.threeNodes().withSnapshots("256 KB", 10));
    for (int n : cluster.ids()) {
      cluster.files.editOrdererYaml(
          n,
          yaml ->
              yaml.replace(
                  "FileLedger:\n",
                  "FileLedger:\n  Prune:\n    KeepBlocks: "
                      + KEEP_BLOCKS
                      + "\n    Interval: 2s\n    BlockFileSize: 256 KB\n"));
    }
    SignedRequests requests = new SignedRequests(cluster.files.member());
    ChannelAdmin admin = new ChannelAdmin(cluster, requests);
    cluster.startAll();
    cluster.joinAll();
    int leader = cluster.awaitLeader(Duration.ofSeconds(30));
    long started = System.nanoTime();
    List<Sample> samples = new ArrayList<>();
    System.out.println("round  seconds  height  ledger folder bytes of nodes 1, 2, 3");
    for (int round = 0; round < rounds; round++) {
      BroadcastCall.allAccepted(cluster, requests, leader, "r" + round, PER_ROUND, AWAIT);
      var r =
          admin.submit(
              leader,
              admin.ordererValueUpdate(
                  leader, "BatchSize", OrdererConfigUpdates.maxMessageCount(10 + round % 2)));
      assertThat(r.getStatus().name()).as(r.getInfo()).isEqualTo("SUCCESS");
      long[] bytes = cluster.ids().stream().mapToLong(this::ledgerBytes).toArray();
      Sample s =
          new Sample(
              round,
              (System.nanoTime() - started) / 1_000_000_000,
              cluster.height(leader).orElse(-1),
              bytes);
      samples.add(s);
      if (round % 10 != 0 && round != rounds - 1) {
        continue;
      }
      System.out.printf(
          "%5d  %7d  %6d  %s%n",
          s.round(), s.seconds(), s.height(), java.util.Arrays.toString(bytes));
    }
    int third = rounds / 3;
    long middle = max(samples.subList(third, 2 * third));
    long last = max(samples.subList(2 * third, rounds));
    System.out.printf(
        "largest ledger folder: %d bytes in the middle third of the rounds, %d in the last third;"
            + " height %d%n",
        middle, last, samples.getLast().height());
    assertThat(samples.getLast().height()).isGreaterThan(2L * KEEP_BLOCKS);
    assertThat(last).isLessThanOrEqualTo(middle + middle / 4);
  }

  private static long max(List<Sample> samples) {
    return samples.stream()
        .flatMapToLong(s -> java.util.Arrays.stream(s.bytes()))
        .max()
        .orElseThrow();
  }

  private long ledgerBytes(int node) {
    Path ledger = cluster.files.nodeDir(node).resolve("ledger/chains/" + ClusterFiles.CHANNEL);
    try (Stream<Path> files = Files.list(ledger)) {
      long total = 0;
      for (Path p : files.toList()) {
        try {
          total += Files.size(p);
        } catch (NoSuchFileException e) {
          // pruned while listed
        }
      }
      return total;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

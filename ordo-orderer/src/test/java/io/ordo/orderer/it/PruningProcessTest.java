package io.ordo.orderer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordo.orderer.testing.OrdererConfigUpdates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ledger pruning on orderer processes over TLS ({@code FileLedger.Prune} with KeepBlocks 50,
 * Interval 1 s and 32 KB block files on every node; SnapshotIntervalSize 32 KB): under rounds of
 * load, each ended by a config update (pruning keeps the last config block and what follows), the
 * ledger folder of every node stays under a bound that the chain written exceeds; Deliver of a
 * pruned block answers NOT_FOUND; a fourth consenter joined with the config block that adds it
 * finds block 0 nowhere, starts its ledger at that block, catches up, orders with the others and
 * serves the same blocks from there.
 */
class PruningProcessTest {
  private static final Duration AWAIT = Duration.ofMinutes(2);
  private static final Duration QUIET = Duration.ofSeconds(1);
  private static final int KEEP_BLOCKS = 50;
  private static final int NEW_NODE = 4;
  private static final int ROUNDS = 10;
  private static final int PER_ROUND = 300;

  /** What the ledger folder may hold: well under the chain written, which the test checks. */
  private static final long BOUND = 1_200_000;

  private static final Pattern PRUNED_BYTES =
      Pattern.compile("ledger_pruned_bytes\\{channel=\"mychannel\"} (\\S+)");

  @TempDir Path dir;
  private ProcessCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void diskUseStaysBoundedUnderLoadAndANewNodeOnboardsFromThePruningNodes() {
    cluster =
        new ProcessCluster(
            dir,
            ProcessCluster.logDir(getClass(), "pruning"),
            ClusterSettings.threeNodes().withExtraNodes(1).withSnapshots("32 KB", 10));
    for (int n : cluster.ids()) {
      cluster.files.editOrdererYaml(
          n,
          yaml ->
              yaml.replace(
                  "FileLedger:\n",
                  "FileLedger:\n  Prune:\n    KeepBlocks: "
                      + KEEP_BLOCKS
                      + "\n    Interval: 1s\n    BlockFileSize: 32 KB\n"));
    }
    SignedRequests requests = new SignedRequests(cluster.files.member());
    ChannelAdmin admin = new ChannelAdmin(cluster, requests);
    List<Integer> consenters = cluster.genesisConsenters();
    cluster.startAll();
    cluster.joinAll();
    int leader = cluster.awaitLeader(Duration.ofSeconds(30));

    Set<String> sent = new HashSet<>();
    for (int round = 0; round < ROUNDS; round++) {
      sent.addAll(
          BroadcastCall.allAccepted(cluster, requests, leader, "r" + round, PER_ROUND, AWAIT));
      // a config block now and then: pruning keeps the last one and every block after it
      var r =
          admin.submit(
              leader,
              admin.ordererValueUpdate(
                  leader, "BatchSize", OrdererConfigUpdates.maxMessageCount(10 + round % 2)));
      assertThat(r.getStatus().name()).as(r.getInfo()).isEqualTo("SUCCESS");
    }
    long height = cluster.awaitSameHeight(consenters, QUIET, AWAIT);

    for (int n : consenters) {
      await().atMost(AWAIT).untilAsserted(() -> assertThat(ledgerBytes(n)).isLessThan(BOUND));
      long kept = ledgerBytes(n);
      double pruned = prunedBytes(n);
      long first = firstBlock(n);
      System.out.printf(
          "node %d: height %d, holds blocks from [%d], ledger folder %d bytes, %.0f bytes"
              + " pruned%n",
          n, height, first, kept, pruned);
      // without pruning the folder would hold what was pruned too
      assertThat(kept + pruned).isGreaterThan(2 * BOUND);
      assertThat(first).isPositive().isLessThanOrEqualTo(height - KEEP_BLOCKS);
      DeliverCall prunedBlock =
          DeliverCall.run(
              cluster.client(n),
              requests.seek(
                  SignedRequests.specified(first - 1),
                  SignedRequests.specified(first - 1),
                  SeekInfo.SeekBehavior.BLOCK_UNTIL_READY),
              Duration.ofSeconds(30));
      assertThat(prunedBlock.status()).isEqualTo("NOT_FOUND");
      assertThat(prunedBlock.blocks()).isEmpty();
    }

    long sequence =
        admin.changeConsenters(leader, OrdererConfigUpdates.adding(admin.consenter(NEW_NODE)));
    admin.awaitSequence(consenters, sequence);
    Block joinBlock = admin.lastConfigBlock(leader);
    long joinNumber = joinBlock.getHeader().getNumber();
    await()
        .atMost(AWAIT)
        .untilAsserted(
            () -> {
              for (int n : consenters) {
                assertThat(firstBlock(n)).as("node %d holds block 0", n).isPositive();
              }
            });
    cluster.start(NEW_NODE);
    HttpResponse<String> joined = cluster.join(NEW_NODE, JoinRequest.of(joinBlock.toByteArray()));
    assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () ->
                assertThat(cluster.channelInfo(NEW_NODE))
                    .hasValueSatisfying(
                        info ->
                            assertThat(info)
                                .contains(
                                    "\"consensusRelation\":\"consenter\"",
                                    "\"status\":\"active\"")));
    assertThat(firstBlock(NEW_NODE)).isEqualTo(joinNumber);
    assertThat(cluster.logSince(NEW_NODE, 0))
        .contains("onboarded from join block [" + joinNumber + "]");

    List<Integer> all = cluster.ids();
    sent.addAll(BroadcastCall.allAccepted(cluster, requests, NEW_NODE, "new", 100, AWAIT));
    sent.addAll(BroadcastCall.allAccepted(cluster, requests, leader, "after", 100, AWAIT));
    long newHeight = cluster.awaitSameHeight(all, QUIET, AWAIT);
    assertThat(newHeight).isGreaterThan(joinNumber + 1);

    // from the join block on, the new node holds the others' chain, signed and hash-chained
    Map<Integer, List<Block>> chains = new LinkedHashMap<>();
    long from = Math.max(joinNumber, all.stream().mapToLong(this::firstBlock).max().orElseThrow());
    for (int n : all) {
      chains.put(n, read(requests, n, from, newHeight - 1));
    }
    assertThat(from).isEqualTo(joinNumber);
    List<Block> reference = chains.get(NEW_NODE);
    chains.forEach(
        (n, c) -> {
          assertThat(c)
              .as("blocks [%d..%d] of node %d", from, newHeight - 1, n)
              .hasSize((int) (newHeight - from));
          // the hash chain and BlockValidation signatures from the join block's config on
          Chains.assertSigned(n, c);
          Chains.assertSameAtEveryHeight(NEW_NODE, reference, n, c);
        });
    List<String> ordered = Chains.ids(reference).stream().filter(sent::contains).toList();
    Chains.assertNoDuplicates(ordered);
    assertThat(ordered).as("the envelopes sent after the join").contains("new-0", "after-99");
  }

  private List<Block> read(SignedRequests requests, int node, long from, long to) {
    DeliverCall call =
        DeliverCall.run(
            cluster.client(node),
            requests.seek(
                SignedRequests.specified(from),
                SignedRequests.specified(to),
                SeekInfo.SeekBehavior.BLOCK_UNTIL_READY),
            Duration.ofSeconds(60));
    assertThat(call.status())
        .as("Deliver [%d..%d] of node %d", from, to, node)
        .isEqualTo("SUCCESS");
    return call.blocks();
  }

  /** The first block the node's ledger holds, from the detailed view of the admin API. */
  private long firstBlock(int node) {
    HttpResponse<String> r =
        cluster.send(
            HttpRequest.newBuilder(
                    cluster.adminUri(
                        node, "/participation/v1/channels/" + ClusterFiles.CHANNEL + "?details"))
                .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Matcher m = Pattern.compile("\"firstBlock\":(\\d+)").matcher(r.body());
    assertThat(m.find()).as(r.body()).isTrue();
    return Long.parseLong(m.group(1));
  }

  private double prunedBytes(int node) {
    String metrics = cluster.metrics(node).orElseThrow();
    Matcher m = PRUNED_BYTES.matcher(metrics);
    assertThat(m.find()).as("ledger_pruned_bytes of node %d", node).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private long ledgerBytes(int node) {
    Path ledger = cluster.files.nodeDir(node).resolve("ledger/chains/" + ClusterFiles.CHANNEL);
    try (Stream<Path> files = Files.list(ledger)) {
      long total = 0;
      for (Path p : files.toList()) {
        try {
          total += Files.size(p);
        } catch (java.nio.file.NoSuchFileException e) {
          // pruned while listed
        }
      }
      return total;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.ordo.orderer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clean restarts (SIGTERM, start again on the same ports and folders) while clients broadcast; the
 * nodes' logs read as Fabric's: its format on every line, the ledger and WAL opened before the
 * operations endpoint listens, a line per block written, and a stop not worded as a failure.
 */
class RestartUnderLoadTest {
  private static final Duration AWAIT = Duration.ofSeconds(30);
  private static final int STEP = 200;
  private static final Duration QUIET = Duration.ofSeconds(1);

  @TempDir Path dir;
  private ProcessCluster cluster;
  private BroadcastLoad load;

  @AfterEach
  void cleanUp() {
    if (load != null) {
      load.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void
      restartingOneNodeThenTheWholeClusterUnderLoadLosesNoCommittedBlockForksNothingAndOrdersNothingTwice() {
    String test = "restartUnderLoad";
    Random random = TestSeed.forTest(test).random();
    cluster =
        new ProcessCluster(
            dir, ProcessCluster.logDir(getClass(), test), ClusterSettings.threeNodes());
    Phases phases = new Phases(test);
    SignedRequests requests = new SignedRequests(cluster.files.member());
    cluster.startAll();
    cluster.joinAll();
    cluster.awaitLeader(AWAIT);
    phases.done("start, join and first leader");
    load = new BroadcastLoad(cluster, requests, 4, 3, Duration.ofMillis(50), 50, random);
    load.start();
    load.awaitAcceptedAtLeast(STEP);
    phases.done("first envelopes");

    // one node
    int restarted = 1 + random.nextInt(cluster.size());
    Map<Integer, List<Block>> beforeOne = readAll(requests);
    long beforeStop = cluster.logSize(restarted);
    cluster.stop(restarted);
    NodeLogs.assertCleanStop(restarted, cluster.logSince(restarted, beforeStop));
    load.awaitAcceptedAtLeast(load.acceptedCount() + STEP);
    long othersHeight = maxHeight();
    long beforeStart = cluster.logSize(restarted);
    cluster.start(restarted);
    await()
        .atMost(AWAIT)
        .untilAsserted(
            () ->
                assertThat(cluster.height(restarted).orElse(0))
                    .as("node %d catching up", restarted)
                    .isGreaterThanOrEqualTo(othersHeight));
    load.awaitAcceptedAtLeast(load.acceptedCount() + STEP);
    String restartLog = cluster.logSince(restarted, beforeStart);
    NodeLogs.assertStartAndBlocks(restarted, restartLog, ClusterFiles.CHANNEL);
    phases.done("node " + restarted + " stopped, restarted and caught up");

    // the whole cluster
    Map<Integer, List<Block>> beforeAll = readAll(requests);
    Map<Integer, Long> beforeStopAll = new TreeMap<>();
    cluster.ids().forEach(n -> beforeStopAll.put(n, cluster.logSize(n)));
    cluster.stopAll();
    beforeStopAll.forEach((n, mark) -> NodeLogs.assertCleanStop(n, cluster.logSince(n, mark)));
    cluster.startAll();
    cluster.awaitLeader(AWAIT);
    load.awaitAcceptedAtLeast(load.acceptedCount() + STEP);
    phases.done("whole cluster stopped, restarted and ordering again");
    load.stop();

    cluster.awaitSameHeight(cluster.ids(), QUIET, AWAIT);
    Map<Integer, List<Block>> after = readAll(requests);
    Chains.assertSameHeight(after);
    for (var e : after.entrySet()) {
      Chains.assertHashChained(e.getKey(), e.getValue());
      Chains.assertSigned(e.getKey(), e.getValue());
      Chains.assertSameAtEveryHeight(1, after.get(1), e.getKey(), e.getValue());
    }
    List<Block> finalChain = after.get(1);
    beforeOne.forEach(
        (node, chain) ->
            Chains.assertKeeps(
                "node " + node + " before node " + restarted + " restarted", chain, finalChain));
    beforeAll.forEach(
        (node, chain) ->
            Chains.assertKeeps(
                "node " + node + " before the cluster restarted", chain, finalChain));
    List<String> ordered = Chains.ids(finalChain);
    Chains.assertNoDuplicates(ordered);
    Chains.assertAllSent(ordered, load.sent());
    cluster.ids().forEach(n -> NodeLogs.assertFabricFormat(n, cluster.logSince(n, 0)));
    phases.done("load stopped, heights converged, chains checked");
    report(after.values().iterator().next().size(), new HashSet<>(ordered));
  }

  private Map<Integer, List<Block>> readAll(SignedRequests requests) {
    Map<Integer, List<Block>> chains = new LinkedHashMap<>();
    for (int node : cluster.running()) {
      chains.put(node, Chains.read(cluster, requests, node));
    }
    return chains;
  }

  private long maxHeight() {
    return cluster.running().stream().mapToLong(n -> cluster.height(n).orElse(0)).max().orElse(0);
  }

  private void report(long height, Set<String> ordered) {
    Set<String> lost = new HashSet<>(load.accepted());
    lost.removeAll(ordered);
    Map<String, Long> refusals =
        load.refused().values().stream()
            .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
    System.out.printf(
        "restartUnderLoad: %d blocks, %d envelopes sent, %d answered SUCCESS, %d ordered,"
            + " %d answered SUCCESS but not ordered (lost with a stopped leader), %d unanswered"
            + " (stream broken), refusals %s%n",
        height,
        load.sentCount(),
        load.acceptedCount(),
        ordered.size(),
        lost.size(),
        load.unanswered().size(),
        refusals);
  }
}

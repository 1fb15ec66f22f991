package io.ordo.orderer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling restart of all three nodes by SIGTERM under load, with Fabric's default raft timing (an
 * election would take 5 s or more): a stopping leader hands its leadership over first, so the next
 * leader leads within a fraction of a second of the SIGTERM, no survivor ever campaigns on its own,
 * and nothing acknowledged is lost or ordered twice.
 */
class RollingRestartTest {
  private static final Duration AWAIT = Duration.ofSeconds(60);
  private static final Duration HAND_OFF_GOAL = Duration.ofMillis(500);

  /** A pre-vote round: what a follower starts when its election timeout passed without a leader. */
  private static final Pattern PRE_CANDIDATE = Pattern.compile("became pre-candidate");

  private static final Pattern BECAME_LEADER = Pattern.compile("became leader at term");
  private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

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
  void stoppingEachNodeInTurnHandsLeadershipOverWithoutAnElection() {
    String test = "rollingRestart";
    Random random = TestSeed.forTest(test).random();
    ClusterSettings settings = ClusterSettings.threeNodes().withFabricTiming();
    cluster = new ProcessCluster(dir, ProcessCluster.logDir(getClass(), test), settings);
    SignedRequests requests = new SignedRequests(cluster.files.member());
    cluster.startAll();
    cluster.joinAll();
    int first = cluster.awaitLeader(AWAIT);
    load = new BroadcastLoad(cluster, requests, 4, 3, Duration.ofMillis(50), 50, random);
    load.start();
    load.awaitAcceptedAtLeast(200);

    // the leader first, then the others: each stop of a leader is a hand-off
    List<Integer> order = new ArrayList<>(List.of(first));
    cluster.ids().stream().filter(n -> n != first).forEach(order::add);
    List<Duration> handOffs = new ArrayList<>();
    for (int node : order) {
      int leader = cluster.awaitLeader(AWAIT);
      Map<Integer, Long> marks = new TreeMap<>();
      cluster.ids().forEach(n -> marks.put(n, cluster.logSize(n)));
      LocalTime stoppedAt = LocalTime.now();
      cluster.stop(node);
      if (node == leader) {
        int next =
            await()
                .atMost(AWAIT)
                .pollInterval(Duration.ofMillis(10))
                .until(cluster::leader, l -> l.isPresent() && l.getAsInt() != node)
                .getAsInt();
        Duration handOff =
            Duration.between(stoppedAt, timeOf(cluster.logSince(next, marks.get(next))));
        handOffs.add(handOff);
        System.out.printf(
            "%s: leader %d stopped at %s; node %d led %d ms later%n",
            test, node, stoppedAt, next, handOff.toMillis());
      }
      for (int other : cluster.ids()) {
        if (other != node) {
          assertThat(cluster.logSince(other, marks.get(other)))
              .as("node %d while node %d stopped", other, node)
              .doesNotContainPattern(PRE_CANDIDATE);
        }
      }
      load.awaitAcceptedAtLeast(load.acceptedCount() + 50);
      cluster.start(node);
      load.awaitAcceptedAtLeast(load.acceptedCount() + 50);
    }
    assertThat(handOffs).isNotEmpty().allSatisfy(d -> assertThat(d).isLessThan(HAND_OFF_GOAL));

    load.stop();
    cluster.awaitSameHeight(cluster.ids(), Duration.ofSeconds(1), AWAIT);
    Map<Integer, List<Block>> chains = new TreeMap<>();
    for (int node : cluster.ids()) {
      chains.put(node, Chains.read(cluster, requests, node));
    }
    Chains.assertSameHeight(chains);
    List<String> ordered = Chains.ids(chains.get(first));
    Chains.assertNoDuplicates(ordered);
    Set<String> lost = new HashSet<>(load.accepted());
    lost.removeAll(ordered);
    assertThat(lost).as("acknowledged but not ordered").isEmpty();
  }

  private static LocalTime timeOf(String log) {
    String line =
        log.lines()
            .filter(l -> BECAME_LEADER.matcher(l).find())
            .findFirst()
            .orElseThrow(() -> new AssertionError("the new leader did not log its election"));
    return LocalTime.parse(line.substring(0, 12), LOG_TIME);
  }
}

package io.ordo.orderer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
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
 * the survivors write blocks without a gap of half a second, no Broadcast stream to a survivor ends
 * and every envelope sent to one is answered SUCCESS, and nothing acknowledged is lost or ordered
 * twice.
 */
class RollingRestartTest {
  private static final Duration AWAIT = Duration.ofSeconds(60);
  private static final Duration HAND_OFF_GOAL = Duration.ofMillis(500);

  /** The longest a survivor may go without writing a block while the others restart. */
  private static final Duration BLOCK_GAP_GOAL = Duration.ofMillis(500);

  private static final Pattern WRITING_BLOCK = Pattern.compile("Writing block \\[");

  /** A pre-vote round: what a follower starts when its election timeout passed without a leader. */
  private static final Pattern PRE_CANDIDATE = Pattern.compile("became pre-candidate");

  private static final Pattern BECAME_LEADER = Pattern.compile("became leader at term");

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
    // a dozen clients, so that the streams to survivors carry load whichever node stops
    load = new BroadcastLoad(cluster, requests, 12, 1, Duration.ofMillis(50), 50, random);
    load.start();
    load.awaitAcceptedAtLeast(200);

    // the leader first, then the others: each stop of a leader is a hand-off
    List<Integer> order = new ArrayList<>(List.of(first));
    cluster.ids().stream().filter(n -> n != first).forEach(order::add);
    List<Duration> handOffs = new ArrayList<>();
    List<Duration> gaps = new ArrayList<>();
    for (int node : order) {
      int leader = cluster.awaitLeader(AWAIT);
      List<Integer> survivors = cluster.ids().stream().filter(n -> n != node).toList();
      Map<Integer, Long> marks = new TreeMap<>();
      cluster.ids().forEach(n -> marks.put(n, cluster.logSize(n)));
      Map<Integer, Integer> endsBefore = new TreeMap<>();
      survivors.forEach(n -> endsBefore.put(n, load.streamsEndedOn(n)));
      Set<String> refusedBefore = load.refused().keySet();
      LocalTime stoppedAt = LocalTime.now();
      long stoppedNanos = System.nanoTime();
      cluster.stop(node);
      if (node == leader) {
        int next =
            await()
                .atMost(AWAIT)
                .pollInterval(Duration.ofMillis(10))
                .until(cluster::leader, l -> l.isPresent() && l.getAsInt() != node)
                .getAsInt();
        Duration handOff =
            Duration.between(
                stoppedAt,
                NodeLogTimes.first(cluster.logSince(next, marks.get(next)), BECAME_LEADER));
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
      // as an operator would: the next node stops only once this one has caught up, so that the
      // next leader has a quorum that acknowledges its blocks at once
      long caughtUp = cluster.height(cluster.awaitLeader(AWAIT)).orElseThrow();
      await()
          .atMost(AWAIT)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> cluster.height(node).orElse(0), h -> h >= caughtUp);
      load.awaitAcceptedAtLeast(load.acceptedCount() + 50);

      for (int other : survivors) {
        assertThat(load.streamsEndedOn(other))
            .as("Broadcast streams to node %d ended while node %d restarted", other, node)
            .isEqualTo(endsBefore.get(other));
        Duration gap = longestGap(stoppedAt, cluster.logSince(other, marks.get(other)));
        gaps.add(gap);
        System.out.printf(
            "%s: node %d restarted; node %d's longest gap between blocks %d ms (the load's longest"
                + " pause %d ms)%n",
            test, node, other, gap.toMillis(), load.longestSendPause(stoppedNanos).toMillis());
      }
      Map<String, String> refusedBySurvivors = new TreeMap<>(load.refused());
      refusedBySurvivors.keySet().removeAll(refusedBefore);
      refusedBySurvivors.keySet().removeIf(tx -> load.sentTo(tx) == node);
      assertThat(refusedBySurvivors)
          .as("envelopes sent to a survivor while node %d restarted, not answered SUCCESS", node)
          .isEmpty();
    }
    assertThat(handOffs).isNotEmpty().allSatisfy(d -> assertThat(d).isLessThan(HAND_OFF_GOAL));
    assertThat(gaps).allSatisfy(d -> assertThat(d).isLessThan(BLOCK_GAP_GOAL));

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

  /**
   * The longest time a node went without writing a block, from {@code from} on, over the log it
   * wrote since then.
   */
  private static Duration longestGap(LocalTime from, String log) {
    Duration longest = Duration.ZERO;
    LocalTime last = from;
    for (LocalTime written : NodeLogTimes.all(log, WRITING_BLOCK)) {
      Duration gap = Duration.between(last, written);
      longest = gap.compareTo(longest) > 0 ? gap : longest;
      last = written.isAfter(last) ? written : last;
    }
    return longest;
  }
}

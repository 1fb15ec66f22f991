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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGKILL of the leader under load with Fabric's default raft timing (500 ms ticks, elections after
 * 10, so 5 s without a leader before anyone campaigns): the followers see the leader's process gone
 * from their broken streams and elect a new leader, which orders again, within a second; nothing
 * acknowledged is lost. Once each in the default suite; ten times each, with the distribution
 * printed, in the failover profile.
 */
class FastFailoverTest {
  private static final Duration AWAIT = Duration.ofSeconds(60);
  private static final Duration GOAL = Duration.ofSeconds(1);
  private static final int RUNS = 10;

  /** What the new leader's raft logs when it is elected (etcd's words). */
  private static final Pattern BECAME_LEADER = Pattern.compile("became leader at term");

  /** What its chain logs once it has applied the earlier terms and proposes again. */
  private static final Pattern LEADING_FROM_BLOCK = Pattern.compile("leading from block");

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
    load = null;
    cluster = null;
  }

  /** One SIGKILL of the leader: who died, who took over, and how long each step took. */
  private record Failover(int killed, int newLeader, Duration election, Duration ordering) {}

  @ParameterizedTest(name = "{0} nodes")
  @ValueSource(ints = {3, 5})
  void aKilledLeaderIsReplacedAndOrderingGoesOnWithinASecond(int nodes) {
    Failover f = killTheLeaderUnderLoad(nodes, "fastFailover" + nodes, dir);
    assertThat(f.election()).as("kill to new leader").isLessThan(GOAL);
    assertThat(f.ordering()).as("kill to ordering again").isLessThan(GOAL);
  }

  /**
   * The distribution over ten kills, each on a fresh cluster with its own printed seed (the
   * failover profile: {@code mvn -B -Pfailover verify -pl ordo-orderer -am}).
   */
  @Tag("failover")
  @ParameterizedTest(name = "{0} nodes")
  @ValueSource(ints = {3, 5})
  void tenKillsOfTheLeaderEachReplacedWithinASecond(int nodes) {
    List<Failover> runs = new ArrayList<>();
    for (int i = 1; i <= RUNS; i++) {
      runs.add(
          killTheLeaderUnderLoad(nodes, "fastFailover" + nodes + "run" + i, dir.resolve("" + i)));
      cleanUp();
    }
    System.out.printf(
        "fastFailover%d over %d kills: kill to new leader %s ms, kill to ordering again %s ms%n",
        nodes,
        RUNS,
        minMedianMax(runs.stream().map(Failover::election).toList()),
        minMedianMax(runs.stream().map(Failover::ordering).toList()));
    assertThat(runs).allSatisfy(f -> assertThat(f.election()).isLessThan(GOAL));
    assertThat(runs).allSatisfy(f -> assertThat(f.ordering()).isLessThan(GOAL));
  }

  private static String minMedianMax(List<Duration> ds) {
    List<Long> ms = ds.stream().map(Duration::toMillis).sorted().toList();
    return ms.getFirst()
        + " / "
        + ms.get(ms.size() / 2)
        + " / "
        + ms.getLast()
        + " (min / median / max)";
  }

  private Failover killTheLeaderUnderLoad(int nodes, String test, Path where) {
    Random random = TestSeed.forTest(test).random();
    ClusterSettings settings = ClusterSettings.threeNodes().withNodes(nodes).withFabricTiming();
    cluster = new ProcessCluster(where, ProcessCluster.logDir(getClass(), test), settings);
    SignedRequests requests = new SignedRequests(cluster.files.member());
    cluster.startAll();
    cluster.joinAll();
    int leader = cluster.awaitLeader(AWAIT);
    load = new BroadcastLoad(cluster, requests, 4, 3, Duration.ofMillis(50), 50, random);
    load.start();
    load.awaitAcceptedAtLeast(200);

    List<Integer> survivors = cluster.ids().stream().filter(n -> n != leader).toList();
    Map<Integer, Long> logMarks = new TreeMap<>();
    survivors.forEach(n -> logMarks.put(n, cluster.logSize(n)));
    long heightAtKill = cluster.height(survivors.getFirst()).orElseThrow();
    LocalTime killedAt = LocalTime.now();
    cluster.kill(leader);
    int newLeader =
        await()
            .atMost(AWAIT)
            .pollInterval(Duration.ofMillis(10))
            .until(cluster::leader, l -> l.isPresent() && l.getAsInt() != leader)
            .getAsInt();
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> cluster.height(newLeader).orElse(0), h -> h > heightAtKill + 1);
    // the nodes' own log times, on this machine's clock: polling them over HTTP would add its own
    String newLeaderLog = cluster.logSince(newLeader, logMarks.get(newLeader));
    Duration election = Duration.between(killedAt, NodeLogTimes.first(newLeaderLog, BECAME_LEADER));
    Duration ordering =
        Duration.between(killedAt, NodeLogTimes.first(newLeaderLog, LEADING_FROM_BLOCK));
    System.out.printf(
        "%s: leader %d killed at %s; node %d led %d ms later and proposed blocks %d ms later%n",
        test, leader, killedAt, newLeader, election.toMillis(), ordering.toMillis());

    load.awaitAcceptedAtLeast(load.acceptedCount() + 100);
    load.stop();
    cluster.awaitSameHeight(survivors, Duration.ofSeconds(1), AWAIT);
    Map<Integer, List<Block>> chains = new TreeMap<>();
    for (int node : survivors) {
      chains.put(node, Chains.read(cluster, requests, node));
    }
    Chains.assertSameHeight(chains);
    List<String> ordered = Chains.ids(chains.get(survivors.getFirst()));
    Chains.assertNoDuplicates(ordered);
    Set<String> lost = new HashSet<>(load.accepted());
    lost.removeAll(ordered);
    assertThat(lost)
        .as(
            "acknowledged but not ordered (sent to %s; chain height %d)",
            lost.stream().map(tx -> tx + "->" + load.sentTo(tx)).toList(),
            chains.get(survivors.getFirst()).size())
        .isEmpty();
    assertThat(load.refused().keySet())
        .as("refused by a surviving node: %s", load.refused())
        .allMatch(tx -> load.sentTo(tx) == leader);
    assertThat(load.unanswered())
        .as("left unanswered by a surviving node")
        .allMatch(tx -> load.sentTo(tx) == leader);
    return new Failover(leader, newLeader, election, ordering);
  }
}

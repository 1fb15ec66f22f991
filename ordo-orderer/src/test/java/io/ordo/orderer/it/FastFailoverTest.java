package io.ordo.orderer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGKILL of the leader under load with Fabric's default raft timing (500 ms ticks, elections after
 * 10, so 5 s without a leader before anyone campaigns): the followers see the leader's process gone
 * from their broken streams and elect a new leader, which orders again, within a second; nothing
 * acknowledged is lost.
 */
class FastFailoverTest {
  private static final Duration AWAIT = Duration.ofSeconds(60);
  private static final Duration GOAL = Duration.ofSeconds(1);

  /** What the new leader's raft logs when it is elected (etcd's words). */
  private static final Pattern BECAME_LEADER = Pattern.compile("became leader at term");

  /** What its chain logs once it has applied the earlier terms and proposes again. */
  private static final Pattern LEADING_FROM_BLOCK = Pattern.compile("leading from block");

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

  /** The time at the start of the first line of {@code log} that matches {@code what}. */
  private static LocalTime timeOf(String log, Pattern what) {
    String line =
        log.lines()
            .filter(l -> what.matcher(l).find())
            .findFirst()
            .orElseThrow(() -> new AssertionError("no line matching " + what + " in the log"));
    return LocalTime.parse(line.substring(0, 12), LOG_TIME);
  }

  @ParameterizedTest(name = "{0} nodes")
  @ValueSource(ints = {3, 5})
  void aKilledLeaderIsReplacedAndOrderingGoesOnWithinASecond(int nodes) {
    String test = "fastFailover" + nodes;
    Random random = TestSeed.forTest(test).random();
    ClusterSettings settings = ClusterSettings.threeNodes().withNodes(nodes).withFabricTiming();
    cluster = new ProcessCluster(dir, ProcessCluster.logDir(getClass(), test), settings);
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
    Duration election = Duration.between(killedAt, timeOf(newLeaderLog, BECAME_LEADER));
    Duration ordering = Duration.between(killedAt, timeOf(newLeaderLog, LEADING_FROM_BLOCK));
    System.out.printf(
        "%s: leader %d killed at %s; node %d led %d ms later and proposed blocks %d ms later%n",
        test, leader, killedAt, newLeader, election.toMillis(), ordering.toMillis());
    assertThat(election).as("kill to new leader").isLessThan(GOAL);
    assertThat(ordering).as("kill to ordering again").isLessThan(GOAL);

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
  }
}

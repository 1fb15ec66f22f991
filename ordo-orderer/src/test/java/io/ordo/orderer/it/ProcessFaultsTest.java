package io.ordo.orderer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault matrix's process and network faults, one after the other on one cluster whose raft
 * traffic passes through a {@link SilentProxy} per node: SIGKILL of a follower, of the leader and
 * of every node, and a silent partition of the leader.
 */
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProcessFaultsTest {
  /** How long the partitioned leader stays cut off: several election timeouts. */
  private static final Duration PARTITION = Duration.ofSeconds(5);

  @TempDir static Path dir;
  private FaultMatrix matrix;

  @BeforeAll
  void startCluster() {
    matrix =
        new FaultMatrix(
            dir, getClass(), "processFaults", ClusterSettings.threeNodes().withClusterProxies());
    matrix.start();
  }

  @AfterAll
  void stopCluster() {
    if (matrix != null) {
      matrix.close();
    }
  }

  @Test
  @Order(1)
  void sigkillOfAFollower() {
    FaultScenario s = matrix.scenario("kill-follower");
    int follower = matrix.follower();
    s.fault("SIGKILL of follower node " + follower, () -> matrix.cluster.kill(follower));
    s.awaitNextBlock();
    s.healed("restarted");
    matrix.cluster.start(follower);
    s.awaitServing(List.of(follower));
    s.finish();
  }

  @Test
  @Order(2)
  @Tag("faults-short")
  void sigkillOfTheLeader() {
    FaultScenario s = matrix.scenario("kill-leader");
    int leader = matrix.leader();
    s.fault("SIGKILL of leader node " + leader, () -> matrix.cluster.kill(leader));
    s.awaitNextBlock();
    s.healed("restarted");
    matrix.cluster.start(leader);
    s.awaitServing(List.of(leader));
    s.finish();
  }

  @Test
  @Order(3)
  void sigkillOfEveryNodeThenRestartOfAll() {
    FaultScenario s = matrix.scenario("kill-all");
    List<Integer> all = matrix.cluster.ids();
    s.fault("SIGKILL of all nodes, restart of all", () -> all.forEach(matrix.cluster::kill));
    s.healed("restarted");
    matrix.cluster.start(all);
    s.awaitNextBlock();
    s.awaitServing(all);
    s.finish();
  }

  @Test
  @Order(4)
  @Tag("faults-short")
  void silentPartitionOfTheLeader() {
    FaultScenario s = matrix.scenario("partition-leader");
    int leader = matrix.leader();
    long pid = matrix.cluster.pid(leader).orElseThrow();
    List<Integer> others = matrix.cluster.ids().stream().filter(n -> n != leader).toList();
    s.fault(
        "silent partition of leader node " + leader + " for " + PARTITION.toSeconds() + " s",
        () -> {
          matrix.proxy(leader).silenceAll();
          others.forEach(n -> matrix.proxy(n).silenceFrom(pid));
        });
    s.awaitNextBlock();
    int newLeader =
        await()
            .atMost(FaultMatrix.AWAIT)
            .pollInterval(Duration.ofMillis(50))
            .until(() -> matrix.cluster.leader(), l -> l.isPresent() && l.getAsInt() != leader)
            .getAsInt();
    assertThat(others).contains(newLeader);
    s.lastFor(PARTITION);
    s.healed("partition healed");
    matrix.cluster.ids().forEach(n -> matrix.proxy(n).heal());
    s.awaitServing(List.of(leader));
    s.finish();
  }
}

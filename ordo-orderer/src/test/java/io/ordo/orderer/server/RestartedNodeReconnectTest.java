package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that comes back is heard from by the leader at once, whatever backoff the leader's stream
 * to it grew while it was down: on restart it announces itself to the other consenters, and that
 * first Step stream resets the leader's backoff. It does not wait for its own election timeout to
 * send something either: here that timeout is longer than the test waits.
 */
class RestartedNodeReconnectTest {
  /** Far longer than the test waits: only the reset lets the leader reach the node in time. */
  private static final String BACKOFF =
      "  Backoff:\n" + "    BaseDelay: 60s\n" + "    Multiplier: 1.6\n" + "    MaxDelay: 2m\n";

  @TempDir Path dir;
  private TestNetwork network;
  private ClusterDriver driver;

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
    if (network != null) {
      network.close();
    }
  }

  @Test
  void aRestartedFollowerHearsFromTheLeaderWithoutWaitingOutTheLeadersBackoff() throws Exception {
    network = new TestNetwork(dir, 3, Duration.ofMillis(100), Duration.ofMillis(100), 10);
    List<Integer> all = List.of(1, 2, 3);
    for (int i : all) {
      withBackoff(i);
      network.start(i);
      HttpResponse<String> r = network.join(i);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
    driver = new ClusterDriver(network);
    long leader = driver.awaitLeaderEverywhere();
    int restarted = (int) (leader % 3) + 1;
    driver.broadcast((int) leader, "before", 10);
    driver.awaitActiveNodes((int) leader, 3);

    network.stop(restarted);
    // the leader saw the node go: its sends to it failed, and its stream backs off for 60 s
    driver.awaitActiveNodes((int) leader, 2);
    driver.broadcast((int) leader, "while-down", 10);

    withTickOverride(restarted, "10s");
    long started = System.nanoTime();
    network.start(restarted);
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> network.servers.get(restarted).leaderOf(CHANNEL) == leader);
    long knowsLeader = (System.nanoTime() - started) / 1_000_000;
    driver.awaitHeight(List.of(restarted), driver.height((int) leader));
    long caughtUp = (System.nanoTime() - started) / 1_000_000;
    System.out.printf(
        "restarted node knew the leader %d ms after its start, caught up after %d ms"
            + " (cluster backoff 60 s)%n",
        knowsLeader, caughtUp);
    driver.broadcast(restarted, "after", 10);
    driver.awaitDelivered(all, 30);
  }

  /**
   * Sets Consensus.TickIntervalOverride in node {@code i}'s orderer.yaml: with 10 ticks per
   * election it would not campaign, nor send anything, before the test gives up.
   */
  private void withTickOverride(int i, String tick) throws IOException {
    Path yaml = network.nodeDir(i).resolve("orderer.yaml");
    String text = Files.readString(yaml);
    String anchor = "Consensus:\n";
    assertThat(text).contains(anchor);
    Files.writeString(
        yaml, text.replace(anchor, anchor + "  TickIntervalOverride: " + tick + "\n"));
  }

  /** Sets General.Backoff in node {@code i}'s orderer.yaml. */
  private void withBackoff(int i) throws IOException {
    Path yaml = network.nodeDir(i).resolve("orderer.yaml");
    String text = Files.readString(yaml);
    String anchor = "  BootstrapMethod: none\n";
    assertThat(text).contains(anchor);
    Files.writeString(yaml, text.replace(anchor, BACKOFF + anchor));
  }
}

package io.ordo.interop;

import static io.ordo.interop.OrdererKind.FABRIC;
import static io.ordo.interop.OrdererKind.ORDO;
import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.orderer.consensus.etcdraft.CampaignRule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 5 of the interop suite, mixed clusters: Fabric orderers and Ordo nodes as consenters of
 * one etcdraft channel, 2 Fabric + 1 Ordo and 1 Fabric + 2 Ordo. In each: load through every node
 * and the same chain on all three; SIGKILL of the leader, which is the channel's single node of its
 * kind (the channel's campaigner by Fabric's rule, placed so), and a node of the other kind taking
 * over while ordering goes on; then that node, stopped while three times the SnapshotIntervalSize
 * is ordered by the other two (of the other kind), catching up from them.
 */
@InteropTest
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class MixedClusterTest {
  private static final String SNAPSHOT_INTERVAL = "1 MB";

  /** Envelopes of bench's default 3 KB: 1,500 of them are over 3 × 1 MB. */
  private static final int PAST_THREE_SNAPSHOTS = 1_500;

  private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(4);

  /**
   * What each implementation logs when a raft snapshot from the leader made it pull the blocks it
   * missed from the other orderers (Fabric's {@code etcdraft.(*Chain).catchUp}, Ordo's
   * BlockApplier): the catch-up the stopped node must go through.
   */
  private static final Map<OrdererKind, Pattern> SNAPSHOT_CATCH_UP =
      Map.of(
          FABRIC, Pattern.compile("Catching up with snapshot taken at block \\[\\d+\\]"),
          ORDO, Pattern.compile("caught up to block \\[\\d+\\] by pulling"));

  private static final Duration CATCH_UP = Duration.ofMinutes(3);

  @Test
  void twoFabricOneOrdoTheOrdoLeaderKilledAndCaughtUpFromFabric(Stage stage) {
    run(stage, "mixedfabricmajority", ORDO, ClusterListener.SEPARATE);
  }

  @Test
  void oneFabricTwoOrdoTheFabricLeaderKilledAndCaughtUpFromOrdo(Stage stage) {
    run(stage, "mixedordomajority", FABRIC, ClusterListener.SHARED);
  }

  /**
   * @param single the kind of the channel's one node of its kind, which leads first, is killed, and
   *     is later stopped and caught up by the other two
   */
  private static void run(
      Stage stage, String channel, OrdererKind single, ClusterListener listener) {
    OrdererKind other = single == FABRIC ? ORDO : FABRIC;
    int campaigner = (int) CampaignRule.campaigner(channel, 3);
    OrdererKind[] kinds = {other, other, other};
    kinds[campaigner - 1] = single;
    Network net =
        Network.on(stage)
            .orderers(kinds)
            .channel(channel)
            .clusterListener(listener)
            .options(new ConfigtxYaml.Options(SNAPSHOT_INTERVAL, false))
            .build();
    Phases phases = new Phases(stage);
    net.startAll();
    net.joinAll();
    OrdererNode first = net.awaitLeader(net.orderers());
    assertThat(first.kind())
        .as("the first leader is the campaigner by Fabric's rule, raft ID %d", campaigner)
        .isEqualTo(single);
    phases.done("started, joined, " + first + " leads");

    Load.bench(stage, net, net.orderers(), 1_000, LOAD_TIMEOUT);
    long height = Chains.assertIdentical(stage, net, net.orderers(), CATCH_UP);
    phases.done("1,000 transactions through every node, " + height + " blocks identical on all");

    first.kill();
    List<OrdererNode> rest = net.orderers().stream().filter(n -> n != first).toList();
    OrdererNode next = net.awaitLeader(rest);
    assertThat(next.kind()).as("the leader after %s was killed", first).isEqualTo(other);
    phases.done(first + " killed (SIGKILL), " + next + " leads");
    Load.bench(stage, net, rest, 500, LOAD_TIMEOUT);
    phases.done("500 transactions through the two left");
    first.start();
    height = Chains.assertIdentical(stage, net, net.orderers(), CATCH_UP);
    phases.done(first + " restarted and caught up: " + height + " blocks identical on all");

    OrdererNode leader = net.awaitLeader(net.orderers());
    assertThat(leader).as("a restarted follower does not take the lead").isNotEqualTo(first);
    first.stop();
    Load.bench(stage, net, rest, PAST_THREE_SNAPSHOTS, LOAD_TIMEOUT);
    long behind = net.awaitSameHeight(rest, CATCH_UP);
    phases.done(
        first
            + " stopped while "
            + PAST_THREE_SNAPSHOTS
            + " transactions (over 3 x "
            + SNAPSHOT_INTERVAL
            + ") made "
            + (behind - height)
            + " blocks on the others");
    first.start();
    height = Chains.assertIdentical(stage, net, net.orderers(), CATCH_UP);
    assertThat(height).isEqualTo(behind);
    String evidence =
        first.daemon().sinceLastStart().stream()
            .filter(SNAPSHOT_CATCH_UP.get(first.kind()).asPredicate())
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        first
                            + " caught up without a snapshot from the leader: no line matches "
                            + SNAPSHOT_CATCH_UP.get(first.kind())));
    phases.done(
        first
            + " restarted and caught up from "
            + rest
            + " through the leader's snapshot and pulled blocks: "
            + height
            + " blocks identical on all; its log: "
            + evidence.strip());
    // Fabric's chain halts on a raft message addressed to another raft ID than its own, taking
    // its own for out of date: Ordo must never send one (its start-up announcement once did)
    for (OrdererNode n : net.orderers()) {
      if (n.kind() == FABRIC) {
        assertThat(readLog(n)).as("%s's log", n).doesNotContain("cowardly halting");
      }
    }
  }

  private static String readLog(OrdererNode node) {
    try {
      return java.nio.file.Files.readString(node.daemon().log());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Prints each phase of a run with the seconds it took, for the suite's report. */
  private static final class Phases {
    private final String test;
    private long mark = System.nanoTime();

    Phases(Stage stage) {
      this.test = stage.name();
    }

    void done(String what) {
      long now = System.nanoTime();
      String line =
          String.format("%s: %s (%d s)", test, what, TimeUnit.NANOSECONDS.toSeconds(now - mark));
      System.out.println(line);
      mark = now;
    }
  }
}

package io.ordo.interop;

import static io.ordo.interop.OrdererKind.FABRIC;
import static io.ordo.interop.OrdererKind.ORDO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordo.orderer.consensus.etcdraft.CampaignRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Quiet idle channels beside Fabric: in a channel of two Ordo nodes and one Fabric orderer, the
 * channel never goes quiet, whoever leads, since the Fabric consenter's cluster messages do not
 * carry the mark Ordo's do. The Ordo nodes' marks (a field Fabric's ConsensusRequest does not have)
 * are read by Fabric's orderer without complaint, and the channel orders before and after a long
 * idle spell.
 */
@InteropTest
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class QuietBesideFabricTest {
  private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(3);

  /** Fabric's default tick is 500 ms: an all-Ordo channel goes quiet after three idle ticks. */
  private static final Duration IDLE = Duration.ofSeconds(10);

  @Test
  void anOrdoLeaderWithAFabricFollowerNeverLetsTheChannelGoQuiet(Stage stage) {
    run(stage, "quietordoleads", ORDO);
  }

  @Test
  void ordoFollowersOfAFabricLeaderNeverGoQuiet(Stage stage) {
    run(stage, "quietfabricleads", FABRIC);
  }

  /**
   * @param leads the kind of the channel's campaigner by Fabric's rule, which leads first
   */
  private static void run(Stage stage, String channel, OrdererKind leads) {
    int campaigner = (int) CampaignRule.campaigner(channel, 3);
    OrdererKind other = leads == ORDO ? FABRIC : ORDO;
    // two Ordo nodes and one Fabric orderer, the campaigner of the kind asked for
    OrdererKind[] kinds = {ORDO, ORDO, ORDO};
    if (leads == FABRIC) {
      kinds[campaigner - 1] = FABRIC;
    } else {
      kinds[campaigner % 3] = other;
    }
    Network net = Network.on(stage).orderers(kinds).channel(channel).build();
    net.startAll();
    net.joinAll();
    OrdererNode leader = net.awaitLeader(net.orderers());
    assertThat(leader.kind())
        .as("the first leader, the campaigner %d", campaigner)
        .isEqualTo(leads);
    Load.bench(stage, net, net.orderers(), 200, LOAD_TIMEOUT);
    long height = Chains.assertIdentical(stage, net, net.orderers(), LOAD_TIMEOUT);
    System.out.printf("%s leads; %d blocks identical on all three%n", leader, height);

    List<OrdererNode> ordo = net.orderers().stream().filter(n -> n.kind() == ORDO).toList();
    // idle for twenty ticks: each Ordo node reports the channel awake all along
    await()
        .during(IDLE)
        .atMost(IDLE.plusSeconds(10))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                ordo.stream()
                    .allMatch(
                        n ->
                            n.operations()
                                    .gauge("consensus_etcdraft_is_quiet", net.channel())
                                    .orElse(-1.0)
                                == 0.0));

    Load.bench(stage, net, net.orderers(), 200, LOAD_TIMEOUT);
    long after = Chains.assertIdentical(stage, net, net.orderers(), LOAD_TIMEOUT);
    assertThat(after).isGreaterThan(height);
    for (OrdererNode n : net.orderers()) {
      if (n.kind() == FABRIC) {
        String log = readLog(n);
        assertThat(log).as("%s's log", n).doesNotContain("cowardly halting");
        assertThat(log).as("%s's log", n).doesNotContain("failed to unmarshal");
      }
    }
  }

  private static String readLog(OrdererNode node) {
    try {
      return Files.readString(node.daemon().log());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

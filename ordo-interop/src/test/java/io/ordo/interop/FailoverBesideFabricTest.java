package io.ordo.interop;

import static io.ordo.interop.OrdererKind.FABRIC;
import static io.ordo.interop.OrdererKind.ORDO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGKILL of the leader of a three-node channel under load, Fabric v3.0.0's orderers and Ordo's
 * nodes in turn, started the same way (Fabric's sample orderer.yaml and the test network's
 * variables; the channel's 500 ms ticks and elections after 10), rounds alternated. Both are
 * measured from outside in the same way: every survivor's {@code /metrics} polled every {@value
 * #POLL_MS} ms for {@code consensus_etcdraft_is_leader} (kill to a new leader) and then the new
 * leader's {@code consensus_etcdraft_committed_block_number} (kill to its first block). Prints each
 * run and the min, median and max of each implementation; holds Ordo to its goal, every run under a
 * second. {@code -Dordo.interop.failover.rounds=N} sets the rounds (3).
 */
@InteropTest
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class FailoverBesideFabricTest {
  private static final int ROUNDS = Integer.getInteger("ordo.interop.failover.rounds", 3);
  private static final long POLL_MS = 20;
  private static final Duration GOAL = Duration.ofSeconds(1);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String CHANNEL = "failover";

  /** One kill: how long until a survivor led, and until that leader committed a block. */
  private record Failover(Duration toLeader, Duration toBlock) {}

  @Test
  void aKilledLeaderIsReplacedFasterByOrdoThanByFabric(Stage stage) {
    Map<OrdererKind, List<Failover>> runs = new EnumMap<>(OrdererKind.class);
    for (int round = 1; round <= ROUNDS; round++) {
      // alternate which goes first, so that a drift of the machine's speed falls on both
      List<OrdererKind> order = round % 2 == 1 ? List.of(FABRIC, ORDO) : List.of(ORDO, FABRIC);
      for (OrdererKind kind : order) {
        Failover f = killTheLeaderUnderLoad(stage, kind, round);
        System.out.printf(
            "%s round %d: kill to new leader %d ms, kill to its first block %d ms%n",
            kind, round, f.toLeader().toMillis(), f.toBlock().toMillis());
        runs.computeIfAbsent(kind, k -> new ArrayList<>()).add(f);
      }
    }
    for (OrdererKind kind : List.of(FABRIC, ORDO)) {
      List<Failover> r = runs.get(kind);
      System.out.printf(
          "%s over %d kills: to new leader %s ms, to its first block %s ms (min / median / max)%n",
          kind,
          r.size(),
          minMedianMax(r.stream().map(Failover::toLeader).toList()),
          minMedianMax(r.stream().map(Failover::toBlock).toList()));
    }
    assertThat(runs.get(ORDO)).allSatisfy(f -> assertThat(f.toBlock()).isLessThan(GOAL));
  }

  private static Failover killTheLeaderUnderLoad(Stage stage, OrdererKind kind, int round) {
    String name = kind.name().toLowerCase(java.util.Locale.ROOT) + round;
    Network net =
        Network.on(stage).orderers(kind, kind, kind).channel(CHANNEL).folder(name).build();
    Daemon load = null;
    try {
      net.startAll();
      net.joinAll();
      OrdererNode leader = net.awaitLeader(net.orderers());
      load = startLoad(stage, net, name);
      long before = committed(leader).orElse(0L);
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> committed(leader).orElse(0L) >= before + 5);

      List<OrdererNode> survivors = net.orderers().stream().filter(n -> n != leader).toList();
      long killedAt = System.nanoTime();
      leader.kill();
      OrdererNode next =
          await()
              .atMost(WAIT)
              .pollInterval(Duration.ofMillis(POLL_MS))
              .until(
                  () ->
                      survivors.stream()
                          .filter(n -> n.operations().leads(CHANNEL))
                          .findFirst()
                          .orElse(null),
                  n -> n != null);
      Duration toLeader = Duration.ofNanos(System.nanoTime() - killedAt);
      long atElection = committed(next).orElse(0L);
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(POLL_MS))
          .until(() -> committed(next).orElse(0L) > atElection);
      return new Failover(toLeader, Duration.ofNanos(System.nanoTime() - killedAt));
    } finally {
      if (load != null) {
        load.kill();
      }
      net.orderers().forEach(OrdererNode::kill);
    }
  }

  /**
   * {@code ordo bench} spread over the three nodes, in the background, through failures (its
   * streams move to another node when one breaks), with more transactions than the run needs.
   */
  private static Daemon startLoad(Stage stage, Network net, String name) {
    List<String> args = new ArrayList<>(net.clientFlags(net.orderers()));
    args.addAll(
        List.of(
            "--tx",
            "200000",
            "--seed",
            Long.toString(stage.random().nextLong()),
            "--timeout",
            "600s",
            "--acked-report",
            stage.dir("load-" + name).resolve("acked.txt").toString()));
    // 200,000 transactions, so that the load lasts through Fabric's election too
    Daemon d =
        stage.daemon(
            "load-" + name, stage.ordo().benchCommand(args), Map.of(), stage.dir("load-" + name));
    d.start();
    return d;
  }

  private static Optional<Long> committed(OrdererNode node) {
    return node.operations()
        .gauge("consensus_etcdraft_committed_block_number", CHANNEL)
        .map(Double::longValue);
  }

  private static String minMedianMax(List<Duration> ds) {
    List<Long> ms = ds.stream().map(Duration::toMillis).sorted().toList();
    return ms.getFirst() + " / " + ms.get(ms.size() / 2) + " / " + ms.getLast();
  }
}

package io.ordo.interop;

import static io.ordo.interop.OrdererKind.FABRIC;
import static io.ordo.interop.OrdererKind.ORDO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordo.orderer.consensus.etcdraft.CampaignRule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What many idle channels cost on Fabric v3.0.0's orderers and on Ordo's nodes, three nodes of one
 * kind at a time, started the same way (Fabric's sample orderer.yaml and the test network's
 * variables; Ordo at its defaults, quiet idle channels on), fresh data each round, the order of the
 * two alternated per round.
 *
 * <p>Each side joins its nodes to the channels one channel after the other, the channel's first
 * campaigner last (as the nodes of a network are usually joined), and times each channel's first
 * leader: from the first join request, and from the campaigner's, to the moment a node's {@code
 * consensus_etcdraft_is_leader} gauge of the channel reads 1 (polled every {@value #POLL_MS} ms,
 * the resolution of the figure). Once every channel has a leader and the channels had time to
 * settle, the three processes' CPU time is read from {@code /proc} over an idle window, then their
 * resident memory. Prints every round, then per kind the min, median and max, and Ordo's median
 * over Fabric's; writes the same as {@code compare.md} in the stage folder.
 *
 * <p>In the interop profile it is a smoke ({@value #SMOKE_CHANNELS} channels, one round, short
 * windows); {@code -Dordo.interop.idle.channels=50 -Dordo.interop.idle.rounds=3
 * -Dordo.interop.idle.settle=20 -Dordo.interop.idle.window=60} makes it the measurement of
 * docs/benchmarks.md. It asserts that every channel got one leader on both, that Ordo's channels
 * all went quiet and stayed so through the window, and that the figures were read; never a speed.
 */
@InteropTest
@Timeout(value = 120, unit = TimeUnit.MINUTES)
class IdleCostBesideFabricTest {
  private static final int SMOKE_CHANNELS = 5;
  private static final int CHANNELS =
      Integer.getInteger("ordo.interop.idle.channels", SMOKE_CHANNELS);
  private static final int ROUNDS = Integer.getInteger("ordo.interop.idle.rounds", 1);
  private static final Duration SETTLE =
      Duration.ofSeconds(Long.getLong("ordo.interop.idle.settle", 10));
  private static final Duration WINDOW =
      Duration.ofSeconds(Long.getLong("ordo.interop.idle.window", 20));
  private static final long POLL_MS = 20;
  private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration QUIET_TIMEOUT = Duration.ofMinutes(2);

  /** What one side did in one round. */
  private record Round(
      List<Double> leaderSeconds,
      List<Double> leaderAfterCampaignerSeconds,
      double cpuPercent,
      double maxRssMb,
      double totalRssMb) {}

  /** One channel's first leader, timed from the first join request and from the campaigner's. */
  private record FirstLeader(double fromFirstJoin, double fromCampaignerJoin) {}

  @Test
  void bothImplementationsElectAndIdleAndTheFiguresArePrinted(Stage stage) {
    Map<OrdererKind, List<Round>> rounds = new EnumMap<>(OrdererKind.class);
    Comparison report = new Comparison();
    for (int round = 1; round <= ROUNDS; round++) {
      List<OrdererKind> order = round % 2 == 1 ? List.of(FABRIC, ORDO) : List.of(ORDO, FABRIC);
      for (OrdererKind kind : order) {
        String folder = kind.name().toLowerCase(Locale.ROOT) + round;
        // the network's own channel is made but not joined: the channels measured are the others
        Network net =
            Network.on(stage).orderers(kind, kind, kind).channel("unused").folder(folder).build();
        try {
          net.startAll();
          Round r = measure(net, kind);
          rounds.computeIfAbsent(kind, k -> new ArrayList<>()).add(r);
          report.line(
              String.format(
                  Locale.ROOT,
                  "%s round %d: first leader after the first join %s s, after the campaigner's"
                      + " join %s s (min / median / max over %d channels); idle CPU %.1f %% of a"
                      + " core (3 nodes, %d s); RSS max node %.0f MB, 3 nodes %.0f MB",
                  kind,
                  round,
                  spread(r.leaderSeconds()),
                  spread(r.leaderAfterCampaignerSeconds()),
                  CHANNELS,
                  r.cpuPercent(),
                  WINDOW.toSeconds(),
                  r.maxRssMb(),
                  r.totalRssMb()));
        } finally {
          net.orderers().forEach(OrdererNode::kill);
        }
      }
    }
    report.line("");
    report.line(
        String.format(
            Locale.ROOT,
            "%d channels on 3 nodes, %d round(s), settle %d s, idle window %d s;"
                + " min / median / max",
            CHANNELS,
            ROUNDS,
            SETTLE.toSeconds(),
            WINDOW.toSeconds()));
    report.summary("first leader s, from first join", pooled(rounds, Round::leaderSeconds), "%.2f");
    report.summary(
        "first leader s, from campaigner's",
        pooled(rounds, Round::leaderAfterCampaignerSeconds),
        "%.2f");
    report.summary("idle CPU % of a core (3 nodes)", each(rounds, Round::cpuPercent), "%.1f");
    report.summary("RSS MB (max node)", each(rounds, Round::maxRssMb), "%.0f");
    report.summary("RSS MB (3 nodes)", each(rounds, Round::totalRssMb), "%.0f");
    report.write(stage.dir("report"));
  }

  private static Round measure(Network net, OrdererKind kind) {
    List<String> channels = new ArrayList<>();
    List<Double> fromFirst = new ArrayList<>();
    List<Double> fromCampaigner = new ArrayList<>();
    for (int c = 1; c <= CHANNELS; c++) {
      String channel = String.format(Locale.ROOT, "idle-%03d", c);
      channels.add(channel);
      Path block = net.makeChannel(channel);
      FirstLeader first = joinAndTimeLeader(net, channel, block);
      fromFirst.add(first.fromFirstJoin());
      fromCampaigner.add(first.fromCampaignerJoin());
    }
    // leaderships move meanwhile (Ordo balances them): one leader each, once they settle
    await()
        .atMost(LEADER_TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              List<Set<String>> led =
                  net.orderers().stream().map(n -> n.operations().ledChannels()).toList();
              for (String channel : channels) {
                assertThat(led.stream().filter(l -> l.contains(channel)).count())
                    .as("%s: the nodes leading %s", kind, channel)
                    .isEqualTo(1);
              }
            });
    if (kind == ORDO) {
      awaitAllQuiet(net, kind);
    }
    stayAliveFor(net, SETTLE);
    double cpuBefore = totalCpuSeconds(net);
    long start = System.nanoTime();
    stayAliveFor(net, WINDOW);
    double cpuAfter = totalCpuSeconds(net);
    double seconds = (System.nanoTime() - start) / 1e9;
    List<Double> rss = net.orderers().stream().map(ProcessUsage::rssMb).toList();
    if (kind == ORDO) {
      for (OrdererNode n : net.orderers()) {
        assertThat(n.operations().gauge("consensus_etcdraft_quiet_channels"))
            .as("%s's quiet channels after the idle window", n)
            .contains((double) CHANNELS);
      }
    }
    assertThat(cpuAfter).as("%s: CPU seconds read after the window", kind).isPositive();
    return new Round(
        fromFirst,
        fromCampaigner,
        100 * (cpuAfter - cpuBefore) / seconds,
        rss.stream().mapToDouble(Double::doubleValue).max().orElseThrow(),
        rss.stream().mapToDouble(Double::doubleValue).sum());
  }

  /**
   * Joins the three nodes to the channel, the campaigner last as {@link Network#joinAll} does, and
   * polls every node's leader gauge of the channel until one reads 1.
   */
  private static FirstLeader joinAndTimeLeader(Network net, String channel, Path block) {
    int campaigner = (int) CampaignRule.campaigner(channel, net.orderers().size());
    long firstJoin = System.nanoTime();
    long[] campaignerJoin = new long[1];
    net.joinAll(
        channel,
        block,
        n -> {
          if (n.id() == campaigner) {
            campaignerJoin[0] = System.nanoTime();
          }
        });
    List<OrdererNode> leaders =
        await()
            .atMost(LEADER_TIMEOUT)
            .pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(POLL_MS))
            .until(
                () -> net.orderers().stream().filter(n -> n.operations().leads(channel)).toList(),
                l -> !l.isEmpty());
    long elected = System.nanoTime();
    assertThat(leaders).as("the leaders of %s", channel).hasSize(1);
    return new FirstLeader((elected - firstJoin) / 1e9, (elected - campaignerJoin[0]) / 1e9);
  }

  private static void awaitAllQuiet(Network net, OrdererKind kind) {
    await()
        .atMost(QUIET_TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              for (OrdererNode n : net.orderers()) {
                assertThat(n.operations().gauge("consensus_etcdraft_quiet_channels"))
                    .as("%s %s's quiet channels", kind, n)
                    .contains((double) CHANNELS);
              }
            });
  }

  /**
   * Lets the nodes idle for {@code span}, failing if one of them exits; looks only at the child
   * processes, never at the nodes' endpoints, so as not to add work to what is measured.
   */
  private static void stayAliveFor(Network net, Duration span) {
    await()
        .during(span)
        .atMost(span.plusSeconds(10))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> net.orderers().stream().allMatch(OrdererNode::isAlive));
  }

  private static double totalCpuSeconds(Network net) {
    return net.orderers().stream().mapToDouble(ProcessUsage::cpuSeconds).sum();
  }

  private static Map<OrdererKind, List<Double>> pooled(
      Map<OrdererKind, List<Round>> rounds, Function<Round, List<Double>> figures) {
    Map<OrdererKind, List<Double>> all = new EnumMap<>(OrdererKind.class);
    rounds.forEach(
        (kind, list) ->
            all.put(kind, list.stream().flatMap(r -> figures.apply(r).stream()).toList()));
    return all;
  }

  private static Map<OrdererKind, List<Double>> each(
      Map<OrdererKind, List<Round>> rounds, ToDoubleFunction<Round> figure) {
    Map<OrdererKind, List<Double>> all = new EnumMap<>(OrdererKind.class);
    rounds.forEach(
        (kind, list) -> all.put(kind, list.stream().map(figure::applyAsDouble).toList()));
    return all;
  }

  private static String spread(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return String.format(
        Locale.ROOT,
        "%.2f / %.2f / %.2f",
        sorted.getFirst(),
        Comparison.median(sorted),
        sorted.getLast());
  }
}

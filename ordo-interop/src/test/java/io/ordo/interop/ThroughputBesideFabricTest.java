package io.ordo.interop;

import static io.ordo.interop.OrdererKind.FABRIC;
import static io.ordo.interop.OrdererKind.ORDO;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fabric v3.0.0's orderers and Ordo's nodes under the same loads, three nodes of one kind at a
 * time, started the same way (Fabric's sample orderer.yaml and the test network's variables; Ordo
 * as {@code ordo orderer start} runs, with node-jvm.options), fresh data each round, the order of
 * the two alternated per round. Each load is an {@code ordo bench} run, a plain Fabric client that
 * times each transaction from its send to its block; after each load, each node's resident memory
 * and the CPU it used are read from {@code /proc}. Prints every run, then per load and kind the
 * min, median and max, and Ordo's median over Fabric's; writes the same as {@code compare.md} in
 * the stage folder.
 *
 * <p>In the interop profile it is a smoke of the comparison ({@value #SMOKE_TX} transactions per
 * load, one round); {@code -Dordo.interop.compare.tx=50000 -Dordo.interop.compare.rounds=3} makes
 * it the measurement of docs/benchmarks.md. It asserts that every load was wholly committed on
 * both, never a speed.
 */
@InteropTest
@Timeout(value = 120, unit = TimeUnit.MINUTES)
class ThroughputBesideFabricTest {
  private static final int SMOKE_TX = 2000;
  private static final int TX = Integer.getInteger("ordo.interop.compare.tx", SMOKE_TX);
  private static final int ROUNDS = Integer.getInteger("ordo.interop.compare.rounds", 1);
  private static final String CHANNEL = "compare";
  private static final Duration BENCH_TIMEOUT = Duration.ofMinutes(10);

  /** One load: its name and the bench flags beside the orderers it sends to. */
  private record Load(String name, boolean toLeaderOnly, List<String> flags) {}

  private static final List<Load> LOADS =
      List.of(
          new Load(
              "leader, 8 streams x 500 unanswered, 1 KB payload",
              true,
              List.of("--streams", "8", "--window", "500", "--payload", "1024")),
          new Load(
              "3 nodes, 9 streams x 500 unanswered, 1 KB payload",
              false,
              List.of("--streams", "9", "--window", "500", "--payload", "1024")),
          new Load("leader, ordo bench defaults (8 x 64, 3 KB envelopes)", true, List.of()));

  /** What one load did on one implementation. */
  private record Run(
      double txPerSecond, double p50Ms, double p99Ms, double maxRssMb, double cpuSeconds) {}

  @Test
  void bothImplementationsOrderTheSameLoadsAndTheFiguresArePrinted(Stage stage) {
    Map<String, Map<OrdererKind, List<Run>>> runs = new LinkedHashMap<>();
    Comparison report = new Comparison();
    for (int round = 1; round <= ROUNDS; round++) {
      List<OrdererKind> order = round % 2 == 1 ? List.of(FABRIC, ORDO) : List.of(ORDO, FABRIC);
      for (OrdererKind kind : order) {
        String folder = kind.name().toLowerCase(Locale.ROOT) + round;
        Network net =
            Network.on(stage).orderers(kind, kind, kind).channel(CHANNEL).folder(folder).build();
        try {
          net.startAll();
          net.joinAll();
          OrdererNode leader = net.awaitLeader(net.orderers());
          for (Load load : LOADS) {
            Map<OrdererNode, Double> cpuBefore = cpuSeconds(net.orderers());
            JsonNode result = bench(stage, net, leader, load, folder);
            assertThat(result.get("committed").asInt())
                .as("%s %s: every transaction committed", kind, load.name())
                .isEqualTo(TX);
            Map<OrdererNode, Double> cpuAfter = cpuSeconds(net.orderers());
            Run run =
                new Run(
                    result.get("committed_tps").asDouble(),
                    result.get("p50_ms").asDouble(),
                    result.get("p99_ms").asDouble(),
                    net.orderers().stream().mapToDouble(ProcessUsage::rssMb).max().orElse(0),
                    net.orderers().stream()
                        .mapToDouble(n -> cpuAfter.get(n) - cpuBefore.get(n))
                        .sum());
            runs.computeIfAbsent(load.name(), l -> new EnumMap<>(OrdererKind.class))
                .computeIfAbsent(kind, k -> new ArrayList<>())
                .add(run);
            report.line(
                String.format(
                    Locale.ROOT,
                    "%s round %d, %s: %.0f tx/s, p50 %.0f ms, p99 %.0f ms, RSS max %.0f MB,"
                        + " CPU %.1f s on 3 nodes",
                    kind,
                    round,
                    load.name(),
                    run.txPerSecond(),
                    run.p50Ms(),
                    run.p99Ms(),
                    run.maxRssMb(),
                    run.cpuSeconds()));
          }
        } finally {
          net.orderers().forEach(OrdererNode::kill);
        }
      }
    }
    report.line("");
    report.line(
        String.format(Locale.ROOT, "%d tx per load, %d round(s), min / median / max", TX, ROUNDS));
    for (var e : runs.entrySet()) {
      report.line(e.getKey() + ":");
      Map<OrdererKind, List<Run>> byKind = e.getValue();
      summary(report, byKind, "tx/s", Run::txPerSecond, "%.0f");
      summary(report, byKind, "p50 ms", Run::p50Ms, "%.0f");
      summary(report, byKind, "p99 ms", Run::p99Ms, "%.0f");
      summary(report, byKind, "RSS MB (max node)", Run::maxRssMb, "%.0f");
      summary(report, byKind, "CPU s (3 nodes)", Run::cpuSeconds, "%.1f");
    }
    report.write(stage.dir("report"));
  }

  private static JsonNode bench(
      Stage stage, Network net, OrdererNode leader, Load load, String folder) {
    Path report = stage.dir("bench-" + folder + "-" + LOADS.indexOf(load));
    List<String> args =
        new ArrayList<>(net.clientFlags(load.toLeaderOnly() ? List.of(leader) : net.orderers()));
    args.addAll(load.flags());
    args.addAll(
        List.of(
            "--tx",
            Integer.toString(TX),
            "--seed",
            Long.toString(stage.random().nextLong()),
            "--timeout",
            BENCH_TIMEOUT.toSeconds() + "s",
            "--report",
            report.toString()));
    stage.ordoTools().bench(args, BENCH_TIMEOUT).requireSuccess();
    try {
      return new ObjectMapper().readTree(report.resolve("result.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void summary(
      Comparison report,
      Map<OrdererKind, List<Run>> byKind,
      String what,
      ToDoubleFunction<Run> figure,
      String format) {
    Map<OrdererKind, List<Double>> values = new EnumMap<>(OrdererKind.class);
    byKind.forEach(
        (kind, list) -> values.put(kind, list.stream().map(figure::applyAsDouble).toList()));
    report.summary(what, values, format);
  }

  private static Map<OrdererNode, Double> cpuSeconds(List<OrdererNode> nodes) {
    Map<OrdererNode, Double> cpu = new LinkedHashMap<>();
    nodes.forEach(n -> cpu.put(n, ProcessUsage.cpuSeconds(n)));
    return cpu;
  }
}

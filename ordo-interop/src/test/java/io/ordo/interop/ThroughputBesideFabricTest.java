package io.ordo.interop;

import static io.ordo.interop.OrdererKind.FABRIC;
import static io.ordo.interop.OrdererKind.ORDO;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
  private static final long CLOCK_TICKS_PER_SECOND = 100;

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
    StringBuilder log = new StringBuilder();
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
                    net.orderers().stream().mapToDouble(this::rssMb).max().orElse(0),
                    net.orderers().stream()
                        .mapToDouble(n -> cpuAfter.get(n) - cpuBefore.get(n))
                        .sum());
            runs.computeIfAbsent(load.name(), l -> new EnumMap<>(OrdererKind.class))
                .computeIfAbsent(kind, k -> new ArrayList<>())
                .add(run);
            line(
                log,
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
    line(log, "");
    line(
        log,
        String.format(Locale.ROOT, "%d tx per load, %d round(s), min / median / max", TX, ROUNDS));
    for (var e : runs.entrySet()) {
      line(log, e.getKey() + ":");
      Map<OrdererKind, List<Run>> byKind = e.getValue();
      summary(log, byKind, "tx/s", Run::txPerSecond, "%.0f");
      summary(log, byKind, "p50 ms", Run::p50Ms, "%.0f");
      summary(log, byKind, "p99 ms", Run::p99Ms, "%.0f");
      summary(log, byKind, "RSS MB (max node)", Run::maxRssMb, "%.0f");
      summary(log, byKind, "CPU s (3 nodes)", Run::cpuSeconds, "%.1f");
    }
    try {
      Files.writeString(stage.dir("report").resolve("compare.md"), log.toString());
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
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
      StringBuilder log,
      Map<OrdererKind, List<Run>> byKind,
      String what,
      ToDoubleFunction<Run> figure,
      String format) {
    Function<OrdererKind, List<Double>> sorted =
        kind -> byKind.get(kind).stream().map(figure::applyAsDouble).sorted().toList();
    List<Double> fabric = sorted.apply(FABRIC);
    List<Double> ordo = sorted.apply(ORDO);
    double ratio = ordo.get(ordo.size() / 2) / fabric.get(fabric.size() / 2);
    line(
        log,
        String.format(
            Locale.ROOT,
            "  %-18s Fabric %s, Ordo %s, Ordo/Fabric %.2f",
            what,
            minMedianMax(fabric, format),
            minMedianMax(ordo, format),
            ratio));
  }

  private static String minMedianMax(List<Double> values, String format) {
    return String.format(Locale.ROOT, format, values.getFirst())
        + " / "
        + String.format(Locale.ROOT, format, values.get(values.size() / 2))
        + " / "
        + String.format(Locale.ROOT, format, values.getLast());
  }

  private static void line(StringBuilder log, String text) {
    System.out.println(text);
    log.append(text).append('\n');
  }

  private double rssMb(OrdererNode node) {
    return procStatus(node)
        .lines()
        .filter(l -> l.startsWith("VmRSS:"))
        .mapToDouble(l -> Double.parseDouble(l.replaceAll("[^0-9]", "")) / 1024)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no VmRSS for " + node));
  }

  private static Map<OrdererNode, Double> cpuSeconds(List<OrdererNode> nodes) {
    Map<OrdererNode, Double> cpu = new LinkedHashMap<>();
    for (OrdererNode n : nodes) {
      // /proc/PID/stat: the fields after the command's closing parenthesis; utime and stime are
      // the 14th and 15th of the whole line
      String stat = read(n, "stat");
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      cpu.put(n, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS_PER_SECOND);
    }
    return cpu;
  }

  private static String procStatus(OrdererNode node) {
    return read(node, "status");
  }

  private static String read(OrdererNode node, String file) {
    long pid = node.pid().orElseThrow(() -> new IllegalStateException(node + " is not running"));
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/" + pid + "/" + file + " of " + node, e);
    }
  }
}

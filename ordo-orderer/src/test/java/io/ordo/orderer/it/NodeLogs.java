package io.ordo.orderer.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;

/** What an operator reads in a node's log (its standard error, Fabric's default format). */
final class NodeLogs {
  /** {@code 2024-01-01 12:00:00.000 UTC 0001 INFO [component] Class -> message}. */
  static final Pattern FABRIC_LINE =
      Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} \\S+ [0-9a-f]{4,}"
              + " (DEBU|INFO|WARN|ERRO) \\[[A-Za-z0-9_.#-]+] \\S+ -> .*");

  private NodeLogs() {}

  /** The lines a node printed, without the markers the test writes between its runs. */
  static List<String> lines(String log) {
    return log.lines().filter(l -> !l.startsWith("==== ")).toList();
  }

  /**
   * Every line is in Fabric's format: no JDK warning and no line of another format; joining a
   * channel, which makes its ledger, warns of nothing.
   */
  static void assertFabricFormat(int node, String log) {
    assertThat(lines(log))
        .as("node %d's log lines", node)
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l).matches(FABRIC_LINE));
    assertThat(log).as("node %d's log", node).doesNotContain("no index file");
  }

  /** A clean stop is not worded as a fatal halt: no "halting", no "failed", no ERROR. */
  static void assertCleanStop(int node, String log) {
    int from = log.lastIndexOf("stopping: the process was asked to end");
    assertThat(from).as("node %d logged its stop", node).isNotNegative();
    String stop = log.substring(from);
    assertThat(stop)
        .as("node %d's log from its SIGTERM on", node)
        .contains("orderer stopped")
        .doesNotContain("halting")
        .doesNotContain("failed")
        .doesNotContain(" ERRO ");
  }

  /**
   * The ledger and the WAL are opened (and logged) before the operations endpoint listens, and a
   * block written after the start has Fabric's line with its channel and node.
   */
  static void assertStartAndBlocks(int node, String log, String channel) {
    int ledger = log.indexOf("opened ledger");
    int wal = log.indexOf("raft storage");
    int operations = log.indexOf("operations endpoints listening");
    assertThat(ledger).as("node %d logged its ledger opening", node).isNotNegative();
    assertThat(wal).as("node %d logged its WAL replay", node).isNotNegative();
    assertThat(operations).as("node %d's operations endpoint", node).isGreaterThan(ledger);
    assertThat(operations).isGreaterThan(wal);
    assertThat(log)
        .containsPattern(
            "INFO \\[orderer\\.consensus\\.etcdraft] BlockApplier -> Writing block \\[\\d+]"
                + " \\(Raft index: \\d+\\) to ledger channel="
                + Pattern.quote(channel)
                + " node="
                + node);
  }
}

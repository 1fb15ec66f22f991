package io.ordo.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordo.cli.Cli;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.TestData;
import io.ordo.cli.network.NetworkFile;
import io.ordo.cli.network.NetworkLayout;
import io.ordo.cli.network.NodeProcesses;
import io.ordo.cli.testing.LocalNetworks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard under deploy/ reads only series that a running network's nodes expose:
 * three nodes, one of them restarted with ledger pruning on (its series exist only then), a short
 * bench through them, then every node's /metrics against every query of every panel and variable.
 */
class DashboardMetricsTest {
  @TempDir Path dir;

  @AfterEach
  void stop() {
    LocalNetworks.stopWhateverRuns(dir);
  }

  @Test
  void everyMetricAPanelQueriesIsExposedByARunningNetwork() throws Exception {
    Path dashboard = TestData.root().resolve("deploy/grafana/ordo-orderers.json");
    Map<String, Set<String>> queried =
        queriedMetrics(new ObjectMapper().readTree(dashboard.toFile()));
    assertThat(queried).isNotEmpty();

    NetworkFile network = LocalNetworks.upDetached(dir, 3, 1);
    // before the bench: a restart forgets the node's counters, the Deliver ones among them
    restartWithPruning(network.nodes().getFirst());
    Cli.Result bench =
        Cli.run("bench", "--network", dir.toString(), "--tx", "300", "--timeout", "1m");
    assertThat(bench.exit()).as(bench.err()).isEqualTo(ExitCodes.OK);

    Set<String> exposed = new TreeSet<>();
    try (HttpClient http = HttpClient.newHttpClient()) {
      for (NetworkFile.Node n : network.nodes()) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://" + n.operations() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        r.body()
            .lines()
            .filter(l -> !l.startsWith("#") && !l.isBlank())
            .map(l -> l.split("[{ ]", 2)[0])
            .forEach(exposed::add);
      }
    }
    List<String> missing = new ArrayList<>();
    queried.forEach(
        (panel, metrics) ->
            metrics.stream()
                .filter(m -> !exposed.contains(m))
                .forEach(m -> missing.add(panel + ": " + m)));
    assertThat(missing).as("queried by the dashboard, not exposed by any node").isEmpty();
  }

  /**
   * Stops the node, turns FileLedger.Prune on in its orderer.yaml (with a KeepBlocks far above the
   * height, so that nothing is deleted) and starts it again; returns once its first pass has made
   * the pruning series.
   */
  private void restartWithPruning(NetworkFile.Node node) throws Exception {
    NodeProcesses processes = new NodeProcesses(dir);
    String name = NetworkLayout.nodeName((int) node.raftId());
    ProcessHandle running = processes.running(name).orElseThrow();
    NodeProcesses.stop(List.of(running), Duration.ofSeconds(10));
    Path yaml = dir.resolve("nodes").resolve(name).resolve("orderer.yaml");
    Matcher ledger = Pattern.compile("(?m)^FileLedger:\\n(\\s+)").matcher(Files.readString(yaml));
    assertThat(ledger.find()).as("FileLedger in %s", yaml).isTrue();
    String indent = ledger.group(1);
    Files.writeString(
        yaml,
        ledger.replaceFirst(
            "FileLedger:\n"
                + indent
                + "Prune:\n"
                + indent.repeat(2)
                + "KeepBlocks: 100000\n"
                + indent.repeat(2)
                + "Interval: 1s\n"
                + indent));
    processes.start(name, yaml);
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpRequest metrics =
          HttpRequest.newBuilder(URI.create("http://" + node.operations() + "/metrics")).build();
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(
              () ->
                  http.send(metrics, HttpResponse.BodyHandlers.ofString())
                      .body()
                      .contains("ledger_pruned_bytes{"));
    }
  }

  /** Panel (or variable) title to the metrics its queries read. */
  private static Map<String, Set<String>> queriedMetrics(JsonNode dashboard) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (JsonNode panel : dashboard.path("panels")) {
      Set<String> metrics = new TreeSet<>();
      for (JsonNode target : panel.path("targets")) {
        metrics.addAll(PromQlMetrics.of(target.path("expr").asText()));
      }
      assertThat(metrics).as("panel %s queries nothing", panel.path("title")).isNotEmpty();
      out.put("panel '" + panel.path("title").asText() + "'", metrics);
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        out.put(
            "variable $" + variable.path("name").asText(),
            PromQlMetrics.ofVariableQuery(variable.path("query").asText()));
      }
    }
    return out;
  }
}

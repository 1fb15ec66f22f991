package io.ordo.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordo.cli.Cli;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.TestData;
import io.ordo.cli.network.NetworkFile;
import io.ordo.cli.testing.LocalNetworks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard under deploy/ reads only series that a running network's nodes expose:
 * three nodes, a short bench through them, then every node's /metrics against every query of every
 * panel and variable.
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

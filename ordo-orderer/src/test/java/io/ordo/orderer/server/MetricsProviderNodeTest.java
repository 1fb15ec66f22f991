package io.ordo.orderer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordo.orderer.testing.UdpLines;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node with Metrics.Provider: statsd, set through Fabric's variables. */
class MetricsProviderNodeTest {
  @TempDir Path dir;
  private TestNetwork network;

  @AfterEach
  void stop() {
    if (network != null) {
      network.close();
    }
  }

  @Test
  void aStatsdNodePushesFabricsBucketsAndServesNoMetricsRoute() throws Exception {
    try (UdpLines statsd = new UdpLines()) {
      network = new TestNetwork(dir, 1, Duration.ofMillis(100), Duration.ofMillis(100), 5);
      OrdererServer node =
          network.start(
              1,
              Map.of(
                  "ORDERER_METRICS_PROVIDER", "statsd",
                  "ORDERER_METRICS_STATSD_ADDRESS", "127.0.0.1:" + statsd.port(),
                  "ORDERER_METRICS_STATSD_WRITEINTERVAL", "100ms",
                  "ORDERER_METRICS_STATSD_PREFIX", "orderer1"));
      assertThat(network.join(1).statusCode()).isEqualTo(201);
      NetworkClient client = new NetworkClient(network);
      client.awaitLeader(List.of(1));
      client.broadcast(1, "tx", 3, 100);

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(statsd.lines())
                      .contains("orderer1.consensus.etcdraft.is_leader.mychannel:1.000000|g")
                      .anyMatch(
                          l ->
                              l.startsWith(
                                      "orderer1.broadcast.processed_count.mychannel"
                                          + ".ENDORSER_TRANSACTION.SUCCESS:")
                                  && l.endsWith("|c"))
                      .anyMatch(
                          l ->
                              l.startsWith("orderer1.ledger.blockchain_height.mychannel:")
                                  && l.endsWith("|g")));

      int ops = node.operationsAddress().orElseThrow().getPort();
      try (HttpClient http = HttpClient.newHttpClient()) {
        HttpResponse<String> scrape =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(404);
      }
      network.close(); // before the StatsD socket, which the node would still write to
    }
  }
}

package io.ordo.orderer.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.statsd.StatsdProtocol;
import io.ordo.orderer.testing.UdpLines;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Metrics.Provider other than prometheus, as Fabric's operations system handles it. */
class MetricsProviderTest {
  /** Fabric registers no /metrics route unless the provider is prometheus: Go's mux says 404. */
  @Test
  void withoutTheScrapeMetricsIsNotFoundAsOnFabric() throws Exception {
    try (OperationsServer server =
            OperationsServer.start(
                new OperationsServer.Options(
                    new InetSocketAddress("127.0.0.1", 0),
                    Optional.empty(),
                    false,
                    new BuildInfo("1.2.3", "0123456789ab", "3.0.0"),
                    Clock.systemUTC()),
                Optional.empty(),
                "warn");
        HttpClient http = HttpClient.newHttpClient()) {
      String base = "http://127.0.0.1:" + server.address().getPort();
      HttpResponse<String> scrape =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(scrape.statusCode()).isEqualTo(404);
      assertThat(scrape.body()).isEqualTo("404 page not found\n");
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).as("the other routes stay").isEqualTo(200);
    }
  }

  /**
   * Fabric's meters reach a StatsD server on loopback under Fabric's buckets and in go-kit's line
   * format, prefixed; the JVM's and the process' series, which Fabric does not send, do not.
   */
  @Test
  void statsdReceivesFabricsBucketsInFabricsLineFormat() throws Exception {
    try (UdpLines server = new UdpLines()) {
      AtomicInteger leader = new AtomicInteger(1);
      try (NodeMetrics metrics =
          NodeMetrics.create(
              "3.0.0",
              Optional.of(
                  new StatsdSettings(
                      StatsdProtocol.UDP,
                      "127.0.0.1",
                      server.port(),
                      Duration.ofMillis(100),
                      "orderer1")))) {
        MeterRegistry r = metrics.registry();
        Counter processed =
            Counter.builder("broadcast_processed_count")
                .tags("channel", "my.channel", "type", "ENDORSER_TRANSACTION", "status", "SUCCESS")
                .register(r);
        Gauge.builder("consensus_etcdraft_is_leader", leader::get)
            .tag("channel", "mychannel")
            .register(r);
        Timer validate =
            Timer.builder("broadcast_validate_duration")
                .tags("channel", "mychannel", "type", "CONFIG_UPDATE", "status", "SUCCESS")
                .register(r);
        Counter notFabrics = Counter.builder("not_fabrics_own").register(r);
        // the client's socket opens in the background: what is counted before is not sent
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> server.lines().stream().anyMatch(l -> l.contains("is_leader")));
        notFabrics.increment();
        processed.increment(3);
        validate.record(Duration.ofMillis(250));

        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () ->
                    assertThat(server.lines())
                        .contains(
                            "orderer1.broadcast.processed_count.my_channel.ENDORSER_TRANSACTION"
                                + ".SUCCESS:3.000000|c",
                            "orderer1.broadcast.validate_duration.mychannel.CONFIG_UPDATE.SUCCESS"
                                + ":0.250000|ms",
                            "orderer1.consensus.etcdraft.is_leader.mychannel:1.000000|g",
                            "orderer1.fabric_version.3_0_0:1.000000|g"));
      }
      assertThat(server.lines())
          .allMatch(l -> l.startsWith("orderer1."))
          .noneMatch(l -> l.contains("not_fabrics_own"))
          .noneMatch(l -> l.startsWith("orderer1.process") || l.startsWith("orderer1.jvm"));
    }
  }
}

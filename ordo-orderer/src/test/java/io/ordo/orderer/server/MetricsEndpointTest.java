package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordo.orderer.server.PrometheusSamples.Sample;
import io.ordo.orderer.testing.MetricFamilies;
import io.ordo.orderer.testing.MetricFamily;
import io.ordo.orderer.testing.ScrapeComparison;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations listener's /metrics of running nodes: Fabric's consensus_etcdraft and cluster_comm
 * metrics, labelled as Fabric labels them, with values that match the ledger; and every family
 * Fabric's orderer exposes, under its name, type, labels and buckets, as recorded from Fabric
 * v3.0.0's orderer ({@code ops/fabric-v3.0.0-orderer-metrics.txt}). One cluster, ordered through
 * before the tests read it.
 */
class MetricsEndpointTest {
  private static final Map<String, String> ON_CHANNEL = Map.of("channel", CHANNEL);
  private static final int ENVELOPES = 40;
  private static final String FABRIC_RECORDING = "/ops/fabric-v3.0.0-orderer-metrics.txt";

  /** The JVM's series (Micrometer's binders), which stand beside Fabric's in place of Go's. */
  private static final Pattern JVM_SERIES =
      Pattern.compile(
          "jvm_.*|system_.*|process_cpu_usage|process_cpu_time_ns_total"
              // Ordo's quiet idle channels, which Fabric does not have
              + "|consensus_etcdraft_is_quiet|consensus_etcdraft_wake_ups"
              + "|consensus_etcdraft_quiet_channels");

  /** Ordo's own families a running cluster shows without any event (Fabric has none of them). */
  private static final Pattern ORDO_OWN = Pattern.compile("consensus_etcdraft_cert_expiry_days");

  @TempDir static Path dir;
  private static TestNetwork network;
  private static int follower;
  private static long height;
  private static int leading;

  @BeforeAll
  static void orderThroughACluster() throws Exception {
    // 1 KB envelopes, 5 per block, a snapshot every 8 KB: a few snapshots are taken
    network = new TestNetwork(dir, 3, Duration.ofMillis(100), Duration.ofMillis(100), 5, "8 KB");
    NetworkClient client = new NetworkClient(network);
    for (int i = 1; i <= 3; i++) {
      network.start(i);
      assertThat(network.join(i).statusCode()).isEqualTo(201);
    }
    int leader = (int) client.awaitLeader(List.of(1, 2, 3));
    follower = leader % 3 + 1;
    client.broadcast(follower, "via-follower", ENVELOPES, 1000);
    // SUCCESS means accepted for ordering: wait until every envelope is in every ledger
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              for (int n = 1; n <= 3; n++) {
                assertThat(
                        client.blocks(n).stream().mapToInt(b -> b.getData().getDataCount()).sum())
                    .as("envelopes in node %d's ledger, the genesis config included", n)
                    .isEqualTo(ENVELOPES + 1);
              }
            });
    height = client.awaitSameHeight(List.of(1, 2, 3));
    leading = (int) client.awaitLeader(List.of(1, 2, 3));
    for (int n = 1; n <= 3; n++) {
      assertThat(client.deliverStatus(n, 0, height - 1))
          .as("Deliver from node %d", n)
          .isEqualTo("SUCCESS");
    }
  }

  @AfterAll
  static void stop() {
    network.close();
  }

  @Test
  void etcdraftAndClusterMetricsCarryFabricsNamesLabelsAndTheLedgersValues() throws Exception {
    for (int node = 1; node <= 3; node++) {
      int n = node;
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertEtcdraft(n, scrape(n), height, n == follower));
      PrometheusSamples m = scrape(node);
      assertThat(m.value("consensus_etcdraft_is_leader", ON_CHANNEL))
          .isEqualTo(node == leading ? 1.0 : 0.0);
      assertCluster(m, node == leading, node == follower);
      assertThat(m.value("participation_status", ON_CHANNEL)).as("active").isEqualTo(1.0);
      assertThat(m.value("participation_consensus_relation", ON_CHANNEL))
          .as("consenter")
          .isEqualTo(1.0);
      assertThat(m.value("ledger_blockchain_height", ON_CHANNEL)).isEqualTo(height);
    }
  }

  /**
   * Every family Fabric's orderer showed after the same kind of run (its Go runtime's aside), with
   * Fabric's type, labels and buckets, over the three nodes' scrapes (only the leader cuts blocks,
   * only a follower forwards); one that only an event shows need not be there, but if it is, it
   * must read as Fabric's; and nothing of Ordo's own but the JVM's series, the certificates' days
   * to expiry and the quiet channels'.
   */
  @Test
  void everyFamilyFabricsOrdererExposesIsThereWithFabricsTypeLabelsAndBuckets() throws Exception {
    Map<String, MetricFamily> fabric = MetricFamilies.fromRecording(recording());
    List<Map<String, MetricFamily>> scrapes = new ArrayList<>();
    for (int node = 1; node <= 3; node++) {
      scrapes.add(MetricFamilies.fromScrape(scrapeText(node)));
    }
    Map<String, MetricFamily> ordo = MetricFamilies.union(scrapes);

    ScrapeComparison comparison =
        new ScrapeComparison(
            f -> f.name().startsWith("go_") || f.source().equals("reference"),
            name -> JVM_SERIES.matcher(name).matches() || ORDO_OWN.matcher(name).matches());
    assertThat(comparison.differences(fabric, ordo)).isEmpty();
    assertThat(fabric.keySet().stream().filter(n -> !n.startsWith("go_")))
        .as("the recording is the whole list, not a few names")
        .hasSizeGreaterThan(50);
  }

  private static void assertEtcdraft(int node, PrometheusSamples m, long height, boolean received) {
    assertThat(m.value("consensus_etcdraft_committed_block_number", ON_CHANNEL))
        .as("node %d", node)
        .isEqualTo(height - 1);
    double snapshot = m.value("consensus_etcdraft_snapshot_block_number", ON_CHANNEL);
    assertThat(snapshot).as("node %d snapshot block", node).isPositive().isLessThan(height);
    assertThat(m.value("consensus_etcdraft_leader_changes", ON_CHANNEL))
        .as("at least the first election; more if a busy machine delayed heartbeats")
        .isGreaterThanOrEqualTo(1);
    assertThat(m.value("consensus_etcdraft_proposal_failures", ON_CHANNEL)).isZero();
    assertThat(m.value("consensus_etcdraft_normal_proposals_received", ON_CHANNEL))
        .as("envelopes broadcast to node %d", node)
        .isEqualTo(received ? ENVELOPES : 0);
    assertThat(m.value("consensus_etcdraft_config_proposals_received", ON_CHANNEL)).isZero();
    double saves = m.value("consensus_etcdraft_data_persist_duration_count", ON_CHANNEL);
    assertThat(saves).as("one WAL save per Ready").isGreaterThanOrEqualTo(height - 1);
    assertThat(m.value("consensus_etcdraft_data_persist_duration_sum", ON_CHANNEL)).isPositive();
    assertThat(
            m.value(
                "consensus_etcdraft_data_persist_duration_bucket",
                Map.of("channel", CHANNEL, "le", "+Inf")))
        .isEqualTo(saves);
    assertThat(m.named("consensus_etcdraft_data_persist_duration_bucket", ON_CHANNEL))
        .as("Prometheus' default buckets and +Inf")
        .hasSize(12);
  }

  /**
   * A leader talks to both followers and hears from both; a follower that never campaigned only
   * talks to the leader.
   */
  private static void assertCluster(PrometheusSamples m, boolean leads, boolean forwarded) {
    int peers = leads ? 2 : 1;
    assertThat(m.value("cluster_comm_ingress_stream_count", Map.of()))
        .as("streams the others opened to this node")
        .isGreaterThanOrEqualTo(peers);
    assertThat(m.value("cluster_comm_egress_stream_count", ON_CHANNEL))
        .isGreaterThanOrEqualTo(peers)
        .isLessThanOrEqualTo(2);
    assertThat(m.value("cluster_comm_egress_tls_connection_count", Map.of()))
        .isGreaterThanOrEqualTo(peers);
    List<Sample> capacities =
        m.named("cluster_comm_egress_queue_capacity", Map.of("msg_type", "consensus"));
    assertThat(capacities)
        .as("a consensus queue to each node this one sent to")
        .hasSizeBetween(peers, 2)
        .allSatisfy(
            s -> {
              assertThat(s.labels()).containsKeys("host", "channel");
              assertThat(s.labels().get("host")).startsWith("127.0.0.1:");
              assertThat(s.value()).as("SendBufferSize's default").isEqualTo(100);
            });
    for (Sample c : capacities) {
      assertThat(m.value("cluster_comm_egress_queue_length", c.labels())).isBetween(0.0, c.value());
    }
    List<Sample> sent = m.named("cluster_comm_msg_send_time_count", ON_CHANNEL);
    assertThat(sent)
        .hasSizeBetween(peers, 2)
        .allSatisfy(s -> assertThat(s.labels()).containsOnlyKeys("host", "channel"))
        .allSatisfy(s -> assertThat(s.value()).isPositive());
    if (forwarded) {
      assertThat(m.named("cluster_comm_egress_queue_length", Map.of("msg_type", "transaction")))
          .as("the follower forwarded submits to the leader")
          .singleElement()
          .satisfies(s -> assertThat(s.value()).isZero());
    }
  }

  private static PrometheusSamples scrape(int node) throws Exception {
    return PrometheusSamples.parse(scrapeText(node));
  }

  private static String scrapeText(int node) throws Exception {
    var address = network.servers.get(node).operationsAddress().orElseThrow();
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + address.getPort() + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      return r.body();
    }
  }

  private static List<String> recording() throws IOException {
    try (InputStream in = MetricsEndpointTest.class.getResourceAsStream(FABRIC_RECORDING)) {
      assertThat(in).as(FABRIC_RECORDING).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }
}

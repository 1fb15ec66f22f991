package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.ordo.orderer.localnet.LocalConfigtx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Certificate expiry on a running cluster, with certificates made short-lived by the org's own TLS
 * CA: every node reports a consenter's certificate inside
 * General.Cluster.CertExpirationWarningThreshold in its metric, its /healthz (a warning, still 200)
 * and its detailed channel view; a leader whose certificate is the one expiring hands leadership to
 * the consenter whose certificates live longest; and the certificate of a consenter that is down is
 * rotated, after which the node, restarted with its new certificate, orders with the others again.
 */
class CertificateExpiryClusterTest {
  private static final Duration TICK = Duration.ofMillis(100);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private TestNetwork network;
  private ClusterDriver driver;

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
    if (network != null) {
      network.close();
    }
  }

  private void startAll(Map<String, String> env) {
    for (int i = 1; i <= 3; i++) {
      network.start(i, env);
      HttpResponse<String> r = network.join(i);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
    driver = new ClusterDriver(network);
  }

  @Test
  void anExpiringLeaderHandsOffToTheLongestLivedConsenterAndEveryNodeWarnsOfIt() throws Exception {
    Instant soon = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    // node 1's TLS certificate expires in an hour, node 3's in 400 days, node 2's in ten years
    network =
        new TestNetwork(
            dir,
            3,
            3,
            TICK,
            Duration.ofMillis(200),
            10,
            "16 MB",
            Map.of(1, soon, 3, Instant.now().plus(Duration.ofDays(400))));
    ListAppender<ILoggingEvent> handOffs = capture("io.ordo.orderer.consensus.etcdraft");
    try {
      startAll(Map.of("ORDERER_GENERAL_CLUSTER_CERTEXPIRATIONWARNINGTHRESHOLD", "2h"));
      driver.awaitLeaderEverywhere();

      // whoever leads now, node 1 is given the leadership; it hands it to node 2 at once
      network.admin(
          2, "POST", "/participation/v1/channels/" + CHANNEL + "/leader", "{\"consenter\": \"1\"}");
      await()
          .atMost(ClusterDriver.AWAIT)
          .untilAsserted(
              () -> {
                assertThat(driver.awaitLeaderEverywhere()).isEqualTo(2);
                assertThat(handOffs.list)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(
                        m ->
                            assertThat(m)
                                .startsWith("this node's certificates expire at " + soon)
                                .contains("handing leadership to consenter 2"));
              });
      Set<String> sent = new HashSet<>(driver.broadcast(1, "after-hand-off", 10));
      driver.assertSameChain(driver.awaitDelivered(List.of(1, 2, 3), sent.size()), sent);
    } finally {
      release(handOffs, "io.ordo.orderer.consensus.etcdraft");
    }

    String expiring = "127.0.0.1:" + network.clusterPorts.get(0);
    for (int n = 1; n <= 3; n++) {
      // the metric: days to expiry per consenter and certificate
      PrometheusSamples m = PrometheusSamples.parse(get(opsUri(n, "/metrics")).body());
      double days =
          m.value(
              "consensus_etcdraft_cert_expiry_days",
              Map.of("channel", CHANNEL, "consenter", expiring, "kind", "server_tls"));
      assertThat(days).as("node %d", n).isBetween(0.0, 1.0 / 24);
      assertThat(
              m.value(
                  "consensus_etcdraft_cert_expiry_days",
                  Map.of(
                      "channel",
                      CHANNEL,
                      "consenter",
                      "127.0.0.1:" + network.clusterPorts.get(2),
                      "kind",
                      "client_tls")))
          .isBetween(399.0, 400.0);

      // /healthz: still healthy, with Ordo's warning naming the certificate and its expiry
      HttpResponse<String> health = get(opsUri(n, "/healthz"));
      assertThat(health.statusCode()).as("node %d: %s", n, health.body()).isEqualTo(200);
      JsonNode body = JSON.readTree(health.body());
      assertThat(body.get("status").asText()).isEqualTo("OK");
      JsonNode warning = body.get("warnings").get(0);
      assertThat(warning.get("component").asText()).isEqualTo("certificates");
      assertThat(warning.get("reason").asText())
          .contains("consenter 1 (" + expiring)
          .contains("server TLS certificate CN=orderer1.example.com")
          .contains("expires at " + soon)
          .doesNotContain("consenter 2")
          .doesNotContain("consenter 3");

      // the admin API's detailed view, Ordo's only
      JsonNode detailed =
          JSON.readTree(
              network
                  .admin(n, "GET", "/participation/v1/channels/" + CHANNEL + "?details=true")
                  .body());
      JsonNode certs = detailed.get("ordo").get("certificates");
      assertThat(certs).hasSize(7);
      assertThat(certs)
          .filteredOn(
              c ->
                  c.get("consenterId").asLong() == 1
                      && !c.get("kind").asText().equals("enrollment"))
          .allSatisfy(c -> assertThat(c.get("state").asText()).isEqualTo("warning"));
      assertThat(
              JSON.readTree(network.admin(n, "GET", "/participation/v1/channels/" + CHANNEL).body())
                  .has("ordo"))
          .isFalse();
    }
  }

  /**
   * With three channels on three nodes and node 1's certificate expiring, node 1 leads none of them
   * and its leader balancer, which would otherwise ask for a channel from the node that leads two
   * while it leads none, asks for none back.
   */
  @Test
  void anExpiringNodeIsNeverGivenItsShareOfLeadershipsBack() throws Exception {
    network =
        new TestNetwork(
            dir,
            3,
            3,
            TICK,
            Duration.ofMillis(200),
            10,
            "16 MB",
            Map.of(1, Instant.now().plus(Duration.ofHours(1))));
    io.ordo.fabric.genesis.ConfigtxYaml yaml =
        io.ordo.fabric.genesis.ConfigtxYaml.read(dir.resolve("configtx.yaml"));
    List<String> channels = List.of(CHANNEL, "second", "third");
    Map<String, org.hyperledger.fabric.protos.common.Block> genesis = new java.util.TreeMap<>();
    genesis.put(CHANNEL, network.genesis);
    for (String ch : channels.subList(1, 3)) {
      genesis.put(
          ch,
          io.ordo.fabric.genesis.GenesisBlocks.create(
              ch,
              new io.ordo.fabric.genesis.ChannelGroupEncoder(yaml)
                  .channelGroup(LocalConfigtx.PROFILE),
              new java.security.SecureRandom(),
              Instant.now()));
    }
    for (int i = 1; i <= 3; i++) {
      network.start(i, Map.of("ORDERER_GENERAL_CLUSTER_CERTEXPIRATIONWARNINGTHRESHOLD", "2h"));
      for (String ch : channels) {
        HttpResponse<String> r = network.join(i, genesis.get(ch));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      }
    }
    // every channel led by node 2 or 3, as each node sees it
    await().atMost(ClusterDriver.AWAIT).untilAsserted(() -> assertLedByTwoOrThree(channels));
    // and so it stays through the balancers' settle time and rounds (5 s by default)
    await()
        .during(Duration.ofSeconds(8))
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> assertLedByTwoOrThree(channels));
  }

  private void assertLedByTwoOrThree(List<String> channels) {
    for (String ch : channels) {
      for (int n = 1; n <= 3; n++) {
        assertThat(network.servers.get(n).leaderOf(ch)).as("%s on node %d", ch, n).isIn(2L, 3L);
      }
    }
  }

  /**
   * The TLS certificate of a consenter that is down is rotated (the change counts it as down and
   * keeps the quorum of the two live ones); restarted with its new certificate, it orders again.
   */
  @Test
  void aDownConsentersCertificateIsRotatedAndTheNodeRejoinsWithIt() throws Exception {
    // node 4 is never started: its TLS material is node 3's new certificate
    network = new TestNetwork(dir, 4, 3, TICK, Duration.ofMillis(200), 10, "16 MB");
    startAll(Map.of());
    long leader = driver.awaitLeaderEverywhere();
    int down = leader == 3 ? 2 : 3;
    int via = down == 3 ? (leader == 1 ? 2 : 1) : 1;
    Set<String> sent = new HashSet<>(driver.broadcast(via, "before", 10));
    driver.awaitDelivered(List.of(1, 2, 3), sent.size());

    // submitted at once: whatever the leader's published view of live nodes says by then, the
    // node judging the change counts itself and its leader alive and the rotated one down
    network.stop(down);
    Path target = network.ordererTls(down);
    Path source = network.ordererTls(4);
    ByteString oldPem = TestNetwork.bytes(target.resolve("server.crt"));
    Files.copy(
        source.resolve("server.key"),
        target.resolve("server.key"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        source.resolve("server.crt"),
        target.resolve("server.crt"),
        StandardCopyOption.REPLACE_EXISTING);
    ByteString newPem = TestNetwork.bytes(target.resolve("server.crt"));
    long seq = driver.config(via).sequence() + 1;
    BroadcastResponse r =
        driver.broadcastOne(
            via,
            driver.ordererValueUpdate(
                driver.config(via),
                "ConsensusType",
                ConfigUpdateClusterTest.raftMetadata(
                    md -> {
                      for (int i = 0; i < md.getConsentersCount(); i++) {
                        if (md.getConsenters(i).getClientTlsCert().equals(oldPem)) {
                          md.setConsenters(
                              i,
                              md.getConsenters(i).toBuilder()
                                  .setClientTlsCert(newPem)
                                  .setServerTlsCert(newPem));
                        }
                      }
                      return md;
                    })));
    assertThat(r.getStatus().name()).as(r.getInfo()).isEqualTo("SUCCESS");
    List<Integer> live = List.of(1, 2, 3).stream().filter(n -> n != down).toList();
    driver.awaitSequence(live, seq);
    sent.addAll(driver.broadcast(via, "while-down", 10));
    driver.awaitDelivered(live, sent.size());

    network.start(down);
    await()
        .atMost(ClusterDriver.AWAIT.multipliedBy(2))
        .untilAsserted(
            () ->
                assertThat(network.servers.get(down).registrar().channel(CHANNEL))
                    .hasValueSatisfying(
                        i -> {
                          assertThat(i.consensusRelation()).isEqualTo("consenter");
                          assertThat(i.status()).isEqualTo("active");
                        }));
    driver.awaitSequence(List.of(1, 2, 3), seq);
    sent.addAll(driver.broadcast(down, "after-rejoin", 10));
    driver.assertSameChain(driver.awaitDelivered(List.of(1, 2, 3), sent.size()), sent);
  }

  private URI opsUri(int node, String path) {
    return URI.create(
        "http://127.0.0.1:"
            + network.servers.get(node).operationsAddress().orElseThrow().getPort()
            + path);
  }

  private static HttpResponse<String> get(URI uri) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private static ListAppender<ILoggingEvent> capture(String logger) {
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    ((Logger) LoggerFactory.getLogger(logger)).addAppender(events);
    return events;
  }

  private static void release(ListAppender<ILoggingEvent> events, String logger) {
    ((Logger) LoggerFactory.getLogger(logger)).detachAppender(events);
  }
}

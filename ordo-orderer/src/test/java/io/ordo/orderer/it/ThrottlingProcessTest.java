package io.ordo.orderer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code General.Throttling} on a running node, as Fabric v3.0's orderer throttles: with {@code
 * Rate: 10}, mutual-TLS clients share ten transactions a second, an over-budget client is slowed
 * and answered SUCCESS on an open stream, and a client without a certificate is not throttled. The
 * node's cluster shares its client listener, so that a client certificate is asked for but not
 * required (Fabric's VerifyClientCertIfGiven): both kinds of client reach the one node.
 *
 * <p>Times are loose bounds, far from what each case gives: at 10 a second, 30 envelopes of each of
 * two clients take about 3 s, where the node alone orders them in well under one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThrottlingProcessTest {
  private static final int RATE = 10;
  private static final Duration ANSWERS = Duration.ofSeconds(60);

  private ProcessCluster cluster;
  private SignedRequests member;
  private Path org1TlsCa;
  private Path dir;
  private int sequence;

  @BeforeAll
  void start(@TempDir Path dir) {
    this.dir = dir;
    cluster =
        new ProcessCluster(
            dir.resolve("cluster"),
            ProcessCluster.logDir(getClass(), "throttling"),
            ClusterSettings.threeNodes().withNodes(1));
    cluster.files.editOrdererYaml(
        1,
        yaml ->
            yaml.replace(
                    "General:\n",
                    "General:\n  Throttling:\n    Rate: " + RATE + "\n    InactivityTimeout: 2s\n")
                // no cluster listener of its own: the client listener asks for certificates
                .replaceAll("(?m)^    ListenAddress: 127.0.0.1\\n    ListenPort: \\d+\\n", "")
                .replaceAll("(?m)^    Server(Certificate|PrivateKey): .*\\n", "")
                // the clients' TLS CA among those a handshake names, as an operator lists it
                .replace(
                    "    ClientAuthRequired: false\n",
                    "    ClientAuthRequired: false\n    ClientRootCAs: ["
                        + cluster.files.crypto.resolve(
                            "peerOrganizations/org1.example.com/tlsca/tlsca.org1.example.com-cert.pem")
                        + "]\n"));
    member = new SignedRequests(cluster.files.member());
    org1TlsCa = cluster.files.crypto.resolve("peerOrganizations/org1.example.com/tlsca");
    cluster.startAll();
    cluster.joinAll();
    cluster.awaitLeader(Duration.ofSeconds(60));
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Each test starts with no client sharing the rate: those of the last one are forgotten. */
  @BeforeEach
  void noClientRemembered() {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> metric("broadcast_throttle_keys{limiter=\"client\"}") == 0.0);
  }

  @Test
  void twoMutualTlsClientsGetTheirShare() throws Exception {
    ManagedChannel a = mtls(SkiClientCerts.issue(org1TlsCa, "client-a", dir.resolve("a")));
    ManagedChannel b = mtls(SkiClientCerts.issue(org1TlsCa, "client-b", dir.resolve("b")));
    double heldBefore = held();

    CompletableFuture<Timed> fromA = CompletableFuture.supplyAsync(() -> send(a, 30));
    CompletableFuture<Timed> fromB = CompletableFuture.supplyAsync(() -> send(b, 30));
    // the node tells the two apart by their subject key identifiers: two keys share the rate
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> metric("broadcast_throttle_keys{limiter=\"client\"}") == 2.0);
    Timed ta = fromA.get();
    Timed tb = fromB.get();

    assertAllSuccessOnAnOpenStream(ta, 30);
    assertAllSuccessOnAnOpenStream(tb, 30);
    assertThat(held()).isGreaterThan(heldBefore);
    // each was held to its share (about 6 a second), and neither starved the other
    assertThat(ta.elapsed()).isGreaterThan(Duration.ofMillis(1500));
    assertThat(tb.elapsed()).isGreaterThan(Duration.ofMillis(1500));
    double ratio = (double) ta.elapsed().toMillis() / tb.elapsed().toMillis();
    assertThat(ratio).isBetween(0.5, 2.0);
  }

  @Test
  void anOverBudgetClientIsSlowedNotDisconnectedAndAnsweredSuccess() {
    // cryptogen's own client certificate: no subject key identifier, as Fabric keys it ("")
    ManagedChannel user1 =
        mtls(
            TlsClients.ClientCert.in(
                cluster.files.crypto.resolve(
                    "peerOrganizations/org1.example.com/users/User1@org1.example.com/tls"),
                "client"));
    double heldBefore = held();
    Timed t = send(user1, 40);
    assertAllSuccessOnAnOpenStream(t, 40);
    assertThat(held()).isGreaterThan(heldBefore);
    // 40 at 10 a second: the first 10 or 20 at once, then about 11 a refill
    assertThat(t.elapsed()).isGreaterThan(Duration.ofMillis(1500));
  }

  @Test
  void aClientWithoutCertificateIsNotThrottled() {
    double heldBefore = held();
    Timed t = send(cluster.client(1), 100);
    assertAllSuccessOnAnOpenStream(t, 100);
    assertThat(held()).isEqualTo(heldBefore);
    assertThat(metric("broadcast_throttle_keys{limiter=\"client\"}")).isZero();
    // throttled, 100 at 10 a second would take 7 s or more
    assertThat(t.elapsed()).isLessThan(Duration.ofSeconds(6));
  }

  private record Timed(BroadcastCall call, Duration elapsed) {}

  private Timed send(ManagedChannel channel, int count) {
    List<Envelope> envelopes = new ArrayList<>();
    synchronized (this) {
      for (int i = 0; i < count; i++) {
        envelopes.add(member.transaction("throttled-" + sequence++));
      }
    }
    long start = System.nanoTime();
    BroadcastCall call = BroadcastCall.send(channel, envelopes, ANSWERS);
    return new Timed(call, Duration.ofNanos(System.nanoTime() - start));
  }

  private static void assertAllSuccessOnAnOpenStream(Timed t, int count) {
    assertThat(t.call().responses()).hasSize(count);
    assertThat(t.call().responses())
        .extracting(BroadcastResponse::getStatus)
        .containsOnly(Status.SUCCESS);
    assertThat(t.call().end()).as("the server ended the stream").isNull();
  }

  private ManagedChannel mtls(TlsClients.ClientCert cert) {
    return cluster.channel(cluster.ports(1).general(), Optional.of(cert));
  }

  private double held() {
    return metric("broadcast_throttled_count{limiter=\"client\"}")
        + metric("broadcast_throttled_count{limiter=\"org\"}");
  }

  /** One series of the node's /metrics, 0 when absent. */
  private double metric(String series) {
    return cluster
        .metrics(1)
        .flatMap(
            text ->
                text.lines()
                    .filter(l -> l.startsWith(series + " "))
                    .findFirst()
                    .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))))
        .orElse(0.0);
  }
}

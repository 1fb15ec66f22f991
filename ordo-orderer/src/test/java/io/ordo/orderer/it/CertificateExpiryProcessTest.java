package io.ordo.orderer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate expiry on orderer processes, with node 1's TLS certificate issued by the org's own
 * TLS CA to live two minutes and General.Cluster.CertExpirationWarningThreshold at one: the other
 * nodes' {@code /healthz} warns of it from the threshold on and not before, the days-to-expiry
 * metric turns negative at the expiry, node 1's own {@code /healthz} fails once it has expired, and
 * a client presenting the expired certificate to a cluster listener is refused, the refusing node's
 * log naming the certificate and its expiry date.
 *
 * <p>It waits out a certificate's two-minute life, so it runs with the short fault matrix ({@code
 * -Pfaults -Dsurefire.groups=faults-short}, which {@code .ci/run} runs) rather than in the default
 * suite.
 */
@Tag("faults")
@Tag("faults-short")
class CertificateExpiryProcessTest {
  private static final Duration LIFE = Duration.ofMinutes(2);
  private static final Duration THRESHOLD = Duration.ofMinutes(1);
  private static final Duration AWAIT = Duration.ofSeconds(30);
  private static final String METRIC = "consensus_etcdraft_cert_expiry_days";
  private static final String SUBJECT = "CN=orderer1.example.com";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private ProcessCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theThresholdWarnsTheExpiryFailsTheOwnersHealthAndAnExpiredClientIsRefusedByName() {
    Instant notAfter = Instant.now().plus(LIFE).truncatedTo(ChronoUnit.SECONDS);
    Instant warnFrom = notAfter.minus(THRESHOLD);
    Path logs = ProcessCluster.logDir(getClass(), "certificateExpiry");
    cluster = new ProcessCluster(dir, logs, ClusterSettings.threeNodes(), Map.of(1, notAfter));
    for (int n = 1; n <= 3; n++) {
      cluster.files.editOrdererYaml(
          n,
          yaml ->
              yaml.replace(
                  "  Cluster:\n",
                  "  Cluster:\n    CertExpirationWarningThreshold: "
                      + THRESHOLD.toSeconds()
                      + "s\n"));
    }
    cluster.startAll();
    cluster.joinAll();
    cluster.awaitLeader(AWAIT);
    String consenter = "127.0.0.1:" + cluster.ports(1).consenter();

    // before the threshold: node 2 has the metric and no warning; the first warning comes at it
    assertThat(Instant.now()).as("the cluster serves before the threshold").isBefore(warnFrom);
    assertThat(expiryDays(2, consenter)).as("node 2's days to node 1's expiry").isPresent();
    assertThat(expiryDays(2, consenter).getAsDouble()).isPositive();
    boolean[] sawNoWarning = new boolean[1];
    await()
        .atMost(Duration.between(Instant.now(), warnFrom).plus(AWAIT))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              Optional<String> warning = certificateWarning(2);
              Instant seen = Instant.now();
              if (warning.isEmpty()) {
                sawNoWarning[0] = true;
                return false;
              }
              // the threshold is checked at whole-second expiry times: a second's slack
              assertThat(seen).as("warned at").isAfter(warnFrom.minusSeconds(1));
              assertThat(warning.get()).contains(SUBJECT).contains("expires at " + notAfter);
              return true;
            });
    assertThat(sawNoWarning[0])
        .as("node 2 healthy without a warning before the threshold")
        .isTrue();
    assertThat(health(1).statusCode()).as("node 1 before its expiry").isEqualTo(200);

    // at the expiry: node 1's own check fails naming its certificate; node 2 only warns
    await()
        .atMost(Duration.between(Instant.now(), notAfter).plus(AWAIT))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> health(1).statusCode() == 503);
    assertThat(Instant.now()).as("node 1 failed at").isAfter(notAfter.minusSeconds(1));
    JsonNode failed = json(health(1)).get("failed_checks").get(0);
    assertThat(failed.get("component").asText()).isEqualTo("certificates");
    assertThat(failed.get("reason").asText()).contains(SUBJECT).contains("expired at " + notAfter);
    assertThat(health(2).statusCode()).as("node 2 with node 1's expired").isEqualTo(200);
    assertThat(certificateWarning(2)).hasValueSatisfying(w -> assertThat(w).contains(SUBJECT));
    assertThat(expiryDays(2, consenter).orElseThrow()).isNegative();

    // a client presenting the expired certificate to node 2's cluster listener is refused
    SSLContext expired =
        cluster.tls.sslContext(
            Optional.of(TlsClients.ClientCert.in(cluster.files.ordererTls(1), "server")));
    assertThatThrownBy(() -> handshake(expired, cluster.ports(2).cluster()))
        .isInstanceOf(IOException.class);
    Path node2Log = logs.resolve("node2.log");
    await()
        .atMost(AWAIT)
        .untilAsserted(
            () ->
                assertThat(Files.readAllLines(node2Log))
                    .anySatisfy(
                        l ->
                            assertThat(l)
                                .contains("refused the TLS client certificate " + SUBJECT)
                                .contains("expired at " + notAfter)));
  }

  /** Node {@code node}'s days to expiry of the consenter's server TLS certificate. */
  private OptionalDouble expiryDays(int node, String consenter) {
    return cluster
        .metrics(node)
        .orElse("")
        .lines()
        .filter(l -> l.startsWith(METRIC + "{"))
        .filter(l -> l.contains("consenter=\"" + consenter + "\""))
        .filter(l -> l.contains("kind=\"server_tls\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst();
  }

  private Optional<String> certificateWarning(int node) {
    JsonNode warnings = json(health(node)).path("warnings");
    for (JsonNode w : warnings) {
      if (w.path("component").asText().equals("certificates")) {
        return Optional.of(w.path("reason").asText());
      }
    }
    return Optional.empty();
  }

  private HttpResponse<String> health(int node) {
    return cluster
        .healthz(node)
        .orElseThrow(() -> new IllegalStateException("node " + node + " does not answer"));
  }

  private static JsonNode json(HttpResponse<String> r) {
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + r.body(), e);
    }
  }

  /** A TLS handshake and a first read: TLS 1.3 tells a client of its refused certificate late. */
  private static void handshake(SSLContext ctx, int port) throws IOException {
    try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      socket.startHandshake();
      socket.getOutputStream().write(new byte[] {0});
      socket.getOutputStream().flush();
      socket.getInputStream().read();
    }
  }
}

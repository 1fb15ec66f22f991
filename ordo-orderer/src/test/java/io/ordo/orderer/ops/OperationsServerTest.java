package io.ordo.orderer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordo.orderer.admin.HttpsClients;
import io.ordo.orderer.admin.ServerTls;
import io.ordo.orderer.testing.TestOrg;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class OperationsServerTest {
  private static final TestOrg ORG = new TestOrg("OrdererMSP");
  private static final TestOrg.TlsIdentity SERVER = ORG.tls("localhost");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final NodeMetrics metrics = NodeMetrics.create("3.0.0");
  private final AtomicReference<Optional<String>> raftHealth =
      new AtomicReference<>(Optional.empty());
  private OperationsServer server;
  private HttpClient withCert;
  private HttpClient withoutCert;

  @BeforeEach
  void start() {
    server =
        OperationsServer.start(
            new OperationsServer.Options(
                new InetSocketAddress("127.0.0.1", 0),
                Optional.of(
                    ServerTls.context(
                        SERVER.keys().getPrivate(),
                        List.of(SERVER.certificate()),
                        List.of(ORG.tlsCa.certificate()))),
                false,
                new BuildInfo("1.2.3", "0123456789ab", "3.0.0"),
                Clock.systemUTC()),
            metrics,
            "warn");
    server.registerChecker("consensus", raftHealth::get);
    withCert = HttpsClients.client(ORG.tlsCa.certificate(), ORG.tls("operator"));
    withoutCert = HttpsClients.client(ORG.tlsCa.certificate(), null);
  }

  @AfterEach
  void stop() {
    metrics.close();
    server.close();
    ((LoggerContext) LoggerFactory.getILoggerFactory())
        .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
        .setLevel(Level.WARN);
  }

  private HttpResponse<String> send(HttpClient client, HttpRequest.Builder b) throws Exception {
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(
        URI.create("https://localhost:" + server.address().getPort() + path));
  }

  @Test
  void healthzIsOpenToAnyClientAndListsFailedChecks() throws Exception {
    HttpResponse<String> ok = send(withoutCert, request("/healthz").GET());
    assertThat(ok.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(ok.body());
    assertThat(body.get("status").asText()).isEqualTo("OK");
    assertThat(body.get("time").asText()).endsWith("Z");
    assertThat(body.has("failed_checks")).isFalse();

    raftHealth.set(Optional.of("no raft leader"));
    HttpResponse<String> failing = send(withoutCert, request("/healthz").GET());
    assertThat(failing.statusCode()).isEqualTo(503);
    JsonNode failed = JSON.readTree(failing.body());
    assertThat(failed.get("status").asText()).isEqualTo("Service Unavailable");
    assertThat(failed.get("failed_checks").get(0).get("component").asText()).isEqualTo("consensus");
    assertThat(failed.get("failed_checks").get(0).get("reason").asText())
        .isEqualTo("no raft leader");

    assertThat(
            send(withoutCert, request("/healthz").POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode())
        .isEqualTo(405);
  }

  /**
   * A warning (Ordo's, such as a certificate close to expiry) keeps Fabric's healthy answer, 200
   * and status OK, with Ordo's {@code warnings} beside it; a failed check still makes it 503.
   */
  @Test
  void aWarningKeepsTheNodeHealthyAndIsListedBesideFabricsFields() throws Exception {
    AtomicReference<Optional<String>> warning = new AtomicReference<>(Optional.empty());
    AtomicReference<Optional<String>> failure = new AtomicReference<>(Optional.empty());
    server.registerChecker(
        "certificates",
        new HealthChecker() {
          @Override
          public Optional<String> unhealthyReason() {
            return failure.get();
          }

          @Override
          public Optional<String> warning() {
            return warning.get();
          }
        });
    JsonNode quiet = JSON.readTree(send(withoutCert, request("/healthz").GET()).body());
    assertThat(quiet.has("warnings")).isFalse();

    warning.set(Optional.of("consenter 2's server TLS certificate expires in 3 d"));
    HttpResponse<String> warned = send(withoutCert, request("/healthz").GET());
    assertThat(warned.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(warned.body());
    assertThat(body.get("status").asText()).isEqualTo("OK");
    assertThat(body.has("failed_checks")).isFalse();
    assertThat(body.get("warnings").get(0).get("component").asText()).isEqualTo("certificates");
    assertThat(body.get("warnings").get(0).get("reason").asText())
        .isEqualTo("consenter 2's server TLS certificate expires in 3 d");

    failure.set(Optional.of("consenter 2's server TLS certificate expired"));
    HttpResponse<String> failed = send(withoutCert, request("/healthz").GET());
    assertThat(failed.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(failed.body()).get("failed_checks").get(0).get("component").asText())
        .isEqualTo("certificates");
  }

  @Test
  void metricsNeedAClientCertificateAndExposeFabricsNames() throws Exception {
    metrics
        .registry()
        .counter(
            "broadcast_processed_count",
            "channel",
            "mychannel",
            "type",
            "ENDORSER_TRANSACTION",
            "status",
            "SUCCESS")
        .increment();
    assertThat(send(withoutCert, request("/metrics").GET()).statusCode()).isEqualTo(401);
    HttpResponse<String> scrape = send(withCert, request("/metrics").GET());
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(scrape.body())
        .contains("# TYPE broadcast_processed_count counter\n")
        .contains(
            "broadcast_processed_count{channel=\"mychannel\",status=\"SUCCESS\","
                + "type=\"ENDORSER_TRANSACTION\"} 1\n");
  }

  @Test
  void versionAnswersFabricsJsonWithOrdosVersionCommitAndFabricLevel() throws Exception {
    HttpResponse<String> v = send(withoutCert, request("/version").GET());
    assertThat(v.statusCode()).isEqualTo(200);
    assertThat(v.body())
        .isEqualTo(
            "{\"CommitSHA\":\"0123456789ab\",\"Version\":\"1.2.3\",\"FabricVersion\":\"3.0.0\"}\n");
    assertThat(
            send(withoutCert, request("/version").POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode())
        .isEqualTo(400);
  }

  @Test
  void logspecReadsAndSetsLogbackLevelsAndRefusesBadSpecs() throws Exception {
    assertThat(send(withoutCert, request("/logspec").GET()).statusCode()).isEqualTo(401);
    assertThat(send(withCert, request("/logspec").GET()).body()).isEqualTo("{\"spec\":\"warn\"}\n");

    HttpResponse<String> put =
        send(
            withCert,
            request("/logspec")
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"spec\":\"orderer.consensus.etcdraft=debug:info\"}")));
    assertThat(put.statusCode()).isEqualTo(204);
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    assertThat(ctx.getLogger("io.ordo.orderer.consensus.etcdraft.Chain").getEffectiveLevel())
        .isEqualTo(Level.DEBUG);
    assertThat(ctx.getLogger("io.ordo.orderer.broadcast").getEffectiveLevel())
        .isEqualTo(Level.INFO);
    assertThat(send(withCert, request("/logspec").GET()).body())
        .isEqualTo("{\"spec\":\"orderer.consensus.etcdraft=debug:info\"}\n");

    HttpResponse<String> bad =
        send(
            withCert,
            request("/logspec").PUT(HttpRequest.BodyPublishers.ofString("{\"spec\":\"chatty\"}")));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).get("error").asText())
        .isEqualTo("invalid logging specification 'chatty': bad segment 'chatty'");
    assertThat(
            send(withCert, request("/logspec").PUT(HttpRequest.BodyPublishers.ofString("not json")))
                .statusCode())
        .isEqualTo(400);

    // a new spec replaces the old one entirely: the etcdraft override is gone
    send(
        withCert,
        request("/logspec").PUT(HttpRequest.BodyPublishers.ofString("{\"spec\":\"error\"}")));
    assertThat(ctx.getLogger("io.ordo.orderer.consensus.etcdraft.Chain").getEffectiveLevel())
        .isEqualTo(Level.ERROR);
  }

  @Test
  void aClientCertificateFromAnUntrustedCaDoesNotOpenTheSecureEndpoints() throws Exception {
    // the client has no certificate from the CAs the server names, so it presents none
    HttpClient stranger =
        HttpsClients.client(ORG.tlsCa.certificate(), new TestOrg("OtherMSP").tls("x"));
    assertThat(send(stranger, request("/metrics").GET()).statusCode()).isEqualTo(401);
    assertThat(send(stranger, request("/healthz").GET()).statusCode()).isEqualTo(200);
  }
}

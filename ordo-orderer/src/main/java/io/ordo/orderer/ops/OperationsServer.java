package io.ordo.orderer.ops;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.ordo.orderer.admin.HttpResponses;
import io.ordo.orderer.admin.HttpTimeouts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operations listener: health, metrics, version and log levels, as Fabric serves them. */
public final class OperationsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperationsServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param build Ordo's version and commit and the Fabric release it follows, for /version
   * @param tls empty for plain HTTP; with TLS, client certificates chaining to the context's trust
   *     are asked for, required when {@code clientAuthRequired}, and metrics and logspec answer 401
   *     without one
   */
  public record Options(
      InetSocketAddress address,
      Optional<SSLContext> tls,
      boolean clientAuthRequired,
      BuildInfo build,
      Clock clock) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final Options options;
  private final Optional<NodeMetrics> metrics;
  private final Map<String, HealthChecker> checks = new ConcurrentSkipListMap<>();
  private final LoggerContext logging;
  private volatile LogSpec logSpec;

  private OperationsServer(
      Options options, Optional<NodeMetrics> metrics, LoggerContext logging, LogSpec initial) {
    this.options = options;
    this.metrics = metrics;
    this.logging = logging;
    this.logSpec = initial;
    HttpTimeouts.applyFabricDefaults();
    try {
      this.server =
          options.tls().isPresent()
              ? HttpsServer.create(options.address(), 0)
              : HttpServer.create(options.address(), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen for operations requests on " + options.address(), e);
    }
    if (server instanceof HttpsServer https) {
      SSLContext ctx = options.tls().get();
      https.setHttpsConfigurator(
          new HttpsConfigurator(ctx) {
            @Override
            public void configure(HttpsParameters params) {
              SSLParameters p = ctx.getDefaultSSLParameters();
              if (options.clientAuthRequired()) {
                p.setNeedClientAuth(true);
              } else {
                p.setWantClientAuth(true);
              }
              p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
              params.setSSLParameters(p);
            }
          });
    }
    // what no route takes is answered as Go's mux answers it
    server.createContext("/", guarded(OperationsServer::notFound, false));
    server.createContext("/healthz", guarded(this::healthz, false));
    if (metrics.isPresent()) {
      server.createContext("/metrics", guarded(this::metrics, true));
    }
    server.createContext("/version", guarded(this::version, false));
    server.createContext("/logspec", guarded(this::logspec, true));
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
  }

  /**
   * Starts serving; {@code initialSpec} (FABRIC_LOGGING_SPEC, "info" when unset) is applied now.
   */
  public static OperationsServer start(Options options, NodeMetrics metrics, String initialSpec) {
    return start(options, Optional.of(metrics), initialSpec);
  }

  /**
   * As above; {@code scraped} empty (Metrics.Provider other than prometheus) leaves /metrics out,
   * as Fabric's orderer does.
   */
  public static OperationsServer start(
      Options options, Optional<NodeMetrics> scraped, String initialSpec) {
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    LogSpec spec = LogSpec.parse(initialSpec);
    spec.applyTo(logging, null);
    OperationsServer s = new OperationsServer(options, scraped, logging, spec);
    s.server.start();
    LOG.info("operations endpoints listening on {}", s.server.getAddress());
    return s;
  }

  public void registerChecker(String component, HealthChecker checker) {
    checks.put(component, checker);
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  @FunctionalInterface
  private interface Endpoint {
    void serve(HttpExchange exchange) throws IOException;
  }

  private com.sun.net.httpserver.HttpHandler guarded(Endpoint endpoint, boolean secure) {
    return exchange -> {
      try (exchange) {
        if (secure && exchange instanceof HttpsExchange https && !hasClientCert(https)) {
          HttpResponses.empty(exchange, 401);
          return;
        }
        endpoint.serve(exchange);
      } catch (RuntimeException e) {
        LOG.error("operations endpoint {} failed", exchange.getRequestURI(), e);
        HttpResponses.error(exchange, 500, String.valueOf(e.getMessage()));
      }
    };
  }

  private static boolean hasClientCert(HttpsExchange exchange) {
    try {
      return exchange.getSSLSession().getPeerCertificates().length > 0;
    } catch (SSLPeerUnverifiedException e) {
      return false;
    }
  }

  private void healthz(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("GET")) {
      HttpResponses.empty(exchange, 405);
      return;
    }
    List<Map<String, String>> failed = new ArrayList<>();
    List<Map<String, String>> warnings = new ArrayList<>();
    checks.forEach(
        (component, checker) -> {
          checker.unhealthyReason().ifPresent(reason -> failed.add(check(component, reason)));
          checker.warning().ifPresent(reason -> warnings.add(check(component, reason)));
        });
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", failed.isEmpty() ? "OK" : "Service Unavailable");
    body.put("time", DateTimeFormatter.ISO_INSTANT.format(options.clock().instant()));
    if (!failed.isEmpty()) {
      body.put("failed_checks", failed);
    }
    // Ordo's own key beside Fabric's: a warning keeps the answer 200, so that load balancers and
    // readiness probes keep sending to the node while its operator is told
    if (!warnings.isEmpty()) {
      body.put("warnings", warnings);
    }
    HttpResponses.json(exchange, failed.isEmpty() ? 200 : 503, body);
  }

  private static Map<String, String> check(String component, String reason) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("component", component);
    m.put("reason", reason);
    return m;
  }

  private void metrics(HttpExchange exchange) throws IOException {
    HttpResponses.text(
        exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.orElseThrow().scrape());
  }

  private static void notFound(HttpExchange exchange) throws IOException {
    HttpResponses.text(exchange, 404, "text/plain; charset=utf-8", "404 page not found\n");
  }

  private void version(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("GET")) {
      HttpResponses.json(
          exchange, 400, Map.of("Error", "invalid request method: " + exchange.getRequestMethod()));
      return;
    }
    // Fabric's two keys, with Ordo's values, and the Fabric release beside them
    Map<String, String> body = new LinkedHashMap<>();
    body.put("CommitSHA", options.build().commit());
    body.put("Version", options.build().version());
    body.put("FabricVersion", options.build().fabricVersion());
    HttpResponses.json(exchange, 200, body);
  }

  private void logspec(HttpExchange exchange) throws IOException {
    switch (exchange.getRequestMethod()) {
      case "GET" -> HttpResponses.json(exchange, 200, Map.of("spec", logSpec.spec()));
      case "PUT" -> {
        LogSpec next;
        try {
          JsonNode body = JSON.readTree(exchange.getRequestBody().readNBytes(64 * 1024));
          JsonNode spec = body == null ? null : body.get("spec");
          if (spec == null || !spec.isTextual()) {
            throw new IllegalArgumentException("request body must be {\"spec\": \"...\"}");
          }
          next = LogSpec.parse(spec.asText());
        } catch (IOException | IllegalArgumentException e) {
          HttpResponses.error(exchange, 400, e.getMessage());
          return;
        }
        synchronized (this) {
          next.applyTo(logging, logSpec);
          logSpec = next;
        }
        LOG.info("logging spec set to '{}'", next.spec());
        HttpResponses.empty(exchange, 204);
      }
      default ->
          HttpResponses.error(
              exchange, 400, "invalid request method: " + exchange.getRequestMethod());
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

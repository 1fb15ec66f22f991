package io.ordo.interop;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A node's operations endpoint over plain HTTP (Fabric's sample leaves its TLS off): {@code
 * /healthz}, and the Prometheus gauges both implementations expose under Fabric's names.
 */
final class Operations {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final String base;

  Operations(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** Whether {@code /healthz} answers 200 now. */
  boolean healthy() {
    return get("/healthz").map(r -> r.statusCode() == 200).orElse(false);
  }

  /** Whether {@code consensus_etcdraft_is_leader} of the channel is 1 now. */
  boolean leads(String channel) {
    return gauge("consensus_etcdraft_is_leader", channel).orElse(0.0) == 1.0;
  }

  /** The channels whose {@code consensus_etcdraft_is_leader} is 1 now, from one scrape. */
  Set<String> ledChannels() {
    Pattern leads =
        Pattern.compile(
            "^consensus_etcdraft_is_leader\\{[^}]*channel=\"([^\"]+)\"[^}]*\\}\\s+1(?:\\.0)?\\s*$",
            Pattern.MULTILINE);
    return get("/metrics")
        .filter(r -> r.statusCode() == 200)
        .map(
            r -> leads.matcher(r.body()).results().map(m -> m.group(1)).collect(Collectors.toSet()))
        .orElse(Set.of());
  }

  /** A gauge of the channel, when the node exposes it now. */
  Optional<Double> gauge(String name, String channel) {
    Pattern sample =
        Pattern.compile(
            "^"
                + Pattern.quote(name)
                + "\\{[^}]*channel=\""
                + Pattern.quote(channel)
                + "\"[^}]*\\}\\s+(\\S+)\\s*$",
            Pattern.MULTILINE);
    return firstSample(sample);
  }

  /** A gauge without labels, when the node exposes it now. */
  Optional<Double> gauge(String name) {
    Pattern sample =
        Pattern.compile(
            "^" + Pattern.quote(name) + "(?:\\{\\})?\\s+(\\S+)\\s*$", Pattern.MULTILINE);
    return firstSample(sample);
  }

  private Optional<Double> firstSample(Pattern sample) {
    return get("/metrics")
        .filter(r -> r.statusCode() == 200)
        .flatMap(
            r -> {
              var m = sample.matcher(r.body());
              return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
            });
  }

  private Optional<HttpResponse<String>> get(String path) {
    try {
      return Optional.of(
          http.send(
              HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).build(),
              HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}

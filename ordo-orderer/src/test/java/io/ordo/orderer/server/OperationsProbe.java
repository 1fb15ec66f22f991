package io.ordo.orderer.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** Reads a running node's operations endpoint: /healthz and the participation gauges. */
final class OperationsProbe {
  private final TestNetwork network;

  OperationsProbe(TestNetwork network) {
    this.network = network;
  }

  HttpResponse<String> healthz(int node) {
    return get(node, "/healthz");
  }

  /** participation_status of the channel: 0 inactive, 1 active, 2 onboarding, 3 failed. */
  double participationStatus(int node, String channel) {
    return PrometheusSamples.parse(get(node, "/metrics").body())
        .value("participation_status", Map.of("channel", channel));
  }

  /** participation_consensus_relation: 0 other, 1 consenter, 2 follower, 3 config-tracker. */
  double consensusRelation(int node, String channel) {
    return PrometheusSamples.parse(get(node, "/metrics").body())
        .value("participation_consensus_relation", Map.of("channel", channel));
  }

  /** Everything the node's /metrics endpoint reports now. */
  PrometheusSamples metrics(int node) {
    return PrometheusSamples.parse(get(node, "/metrics").body());
  }

  private HttpResponse<String> get(int node, String path) {
    var address = network.servers.get(node).operationsAddress().orElseThrow();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + path)).build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

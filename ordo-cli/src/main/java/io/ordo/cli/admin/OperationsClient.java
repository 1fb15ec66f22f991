package io.ordo.cli.admin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Reads a node's plain-HTTP operations endpoint ({@code /metrics}), as Prometheus would. */
public final class OperationsClient implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  /**
   * Whether the node at {@code operations} says it leads: the {@code consensus_etcdraft_is_leader}
   * gauge of its /metrics for the channel; empty when the node is unreachable or the gauge is not
   * exposed.
   */
  public Optional<Boolean> isLeader(String operations, String channel) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + operations + "/metrics"))
            .timeout(TIMEOUT)
            .GET()
            .build();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return Optional.empty();
      }
      return r.body()
          .lines()
          .filter(l -> l.startsWith("consensus_etcdraft_is_leader"))
          .filter(l -> l.contains("channel=\"" + channel + "\""))
          .findFirst()
          .map(l -> !l.substring(l.lastIndexOf(' ') + 1).startsWith("0"));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    http.close();
  }
}

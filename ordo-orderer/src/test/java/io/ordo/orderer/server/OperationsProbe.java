package io.ordo.orderer.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Reads a running node's operations endpoint. */
final class OperationsProbe {
  private final TestNetwork network;

  OperationsProbe(TestNetwork network) {
    this.network = network;
  }

  HttpResponse<String> healthz(int node) {
    return get(node, "/healthz");
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

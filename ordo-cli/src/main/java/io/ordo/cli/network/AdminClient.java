package io.ordo.cli.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.admin.AdminTls;
import io.ordo.cli.admin.JoinBody;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;

/**
 * A client of the nodes' channel participation API (mutual TLS with the orderer org admin's TLS
 * certificate) and of their plain-HTTP operations endpoint.
 */
public final class AdminClient implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final HttpClient https;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  /** A channel as one node reports it. */
  public record ChannelStatus(String status, String consensusRelation, long height) {
    public boolean active() {
      return "active".equals(status);
    }
  }

  public AdminClient(Path tlsCa, Path clientCert, Path clientKey) {
    this.https =
        HttpClient.newBuilder()
            .sslContext(
                AdminTls.context(
                    tlsCa, Optional.of(new AdminTls.ClientCertificate(clientCert, clientKey))))
            .connectTimeout(TIMEOUT)
            .build();
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  /** Joins the node at {@code admin} ({@code host:port}) to a channel with its genesis block. */
  public void join(String admin, String channel, byte[] genesis, SecureRandom random) {
    JoinBody body = JoinBody.of(channel, genesis, random);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("https://" + admin + "/participation/v1/channels"))
            .timeout(TIMEOUT)
            .header("Content-Type", body.contentType())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
            .build();
    HttpResponse<String> r = send(https, request, "join " + channel + " at " + admin);
    if (r.statusCode() != 201) {
      throw new CommandFailedException(
          "joining "
              + admin
              + " to channel "
              + channel
              + " failed: HTTP "
              + r.statusCode()
              + " "
              + r.body().strip());
    }
  }

  /** The channel's status on the node at {@code admin}; empty when unreachable or unknown. */
  public Optional<ChannelStatus> channel(String admin, String channel) {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("https://" + admin + "/participation/v1/channels/" + channel))
            .timeout(TIMEOUT)
            .GET()
            .build();
    try {
      HttpResponse<String> r = https.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return Optional.empty();
      }
      JsonNode n = json.readTree(r.body());
      return Optional.of(
          new ChannelStatus(
              n.path("status").asText(),
              n.path("consensusRelation").asText(),
              n.path("height").asLong()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Whether the node at {@code operations} says it leads: the {@code consensus_etcdraft_is_leader}
   * gauge of its /metrics for the channel; empty when the gauge is not exposed.
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

  private static HttpResponse<String> send(HttpClient client, HttpRequest request, String what) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CommandFailedException(what + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailedException(what + " interrupted", e);
    }
  }

  @Override
  public void close() {
    https.close();
    http.close();
  }
}

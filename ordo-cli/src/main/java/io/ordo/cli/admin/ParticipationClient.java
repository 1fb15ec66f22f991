package io.ordo.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.MessageText;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The calls of osnadmin against one node's channel participation API, and Ordo's leadership routes
 * beside it: over mutual TLS when given a TLS context, plain HTTP otherwise (as osnadmin without
 * {@code --ca-file}).
 */
public final class ParticipationClient implements AutoCloseable {
  private static final String CHANNELS = "/participation/v1/channels";
  private static final String DRAIN = "/participation/v1/drain";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  // a drain waits up to 30 s for the node's leaderships to move
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(45);

  private final HttpClient http;
  private final String scheme;
  private final SecureRandom random = new SecureRandom();

  /** A response: its HTTP status and its body (JSON, or empty for 204). */
  public record Response(int status, String body) {
    public boolean success() {
      return status >= 200 && status < 300;
    }
  }

  /** A channel as one node reports it. */
  public record ChannelStatus(String status, String consensusRelation, long height) {
    public boolean active() {
      return "active".equals(status);
    }
  }

  /** A client over mutual TLS with the given CA and client certificate, as an org admin calls. */
  public static ParticipationClient mutualTls(Path tlsCa, Path clientCert, Path clientKey) {
    return new ParticipationClient(
        Optional.of(
            AdminTls.context(
                tlsCa, Optional.of(new AdminTls.ClientCertificate(clientCert, clientKey)))));
  }

  public ParticipationClient(Optional<SSLContext> tls) {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT);
    tls.ifPresent(b::sslContext);
    this.http = b.build();
    this.scheme = tls.isPresent() ? "https" : "http";
  }

  /** POST the config block: join the node to its channel. */
  public Response join(String endpoint, String channel, byte[] configBlock) {
    JoinBody body = JoinBody.of(channel, configBlock, random);
    return send(
        endpoint,
        request(endpoint, CHANNELS)
            .header("Content-Type", body.contentType())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
            .build());
  }

  /** GET the channels the node is a member or follower of. */
  public Response list(String endpoint) {
    return list(endpoint, false);
  }

  /**
   * As {@link #list(String)}; with {@code details}, Ordo's detailed view ({@code ?details=true}:
   * each channel's {@code "ordo"} part, such as its certificates' days to expiry).
   */
  public Response list(String endpoint, boolean details) {
    return send(endpoint, request(endpoint, CHANNELS + query(details)).GET().build());
  }

  /** GET one channel's status and height. */
  public Response channel(String endpoint, String channel) {
    return channel(endpoint, channel, false);
  }

  /** As {@link #channel(String, String)}, with Ordo's detailed view when {@code details}. */
  public Response channel(String endpoint, String channel, boolean details) {
    return send(
        endpoint, request(endpoint, CHANNELS + "/" + channel + query(details)).GET().build());
  }

  /**
   * The channel's status on the node, parsed; empty when the node is unreachable or does not hold
   * the channel, as a caller polling a starting node wants.
   */
  public Optional<ChannelStatus> status(String endpoint, String channel) {
    Response r;
    try {
      r = channel(endpoint, channel);
    } catch (CommandFailedException unreachable) {
      return Optional.empty();
    }
    if (r.status() != 200) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(r.body());
      return Optional.of(
          new ChannelStatus(
              n.path("status").asText(),
              n.path("consensusRelation").asText(),
              n.path("height").asLong()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String query(boolean details) {
    return details ? "?details=true" : "";
  }

  /** DELETE the channel from the node. */
  public Response remove(String endpoint, String channel) {
    return send(endpoint, request(endpoint, CHANNELS + "/" + channel).DELETE().build());
  }

  /** GET who leads the channel and its consenters (a route of Ordo's, not Fabric's). */
  public Response leader(String endpoint, String channel) {
    return send(endpoint, request(endpoint, CHANNELS + "/" + channel + "/leader").GET().build());
  }

  /**
   * POST a move of the channel's leadership to a consenter named by cluster endpoint or raft ID;
   * the node answers once it sees the new leader.
   */
  public Response moveLeader(String endpoint, String channel, String consenter) {
    String body = JSON.createObjectNode().put("consenter", consenter).toString();
    return send(
        endpoint,
        request(endpoint, CHANNELS + "/" + channel + "/leader")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /** POST (drain the node of its leaderships) or DELETE (end the drain). */
  public Response drain(String endpoint, boolean on) {
    HttpRequest.Builder r = request(endpoint, DRAIN);
    return send(endpoint, (on ? r.POST(HttpRequest.BodyPublishers.noBody()) : r.DELETE()).build());
  }

  private HttpRequest.Builder request(String endpoint, String path) {
    return HttpRequest.newBuilder(URI.create(scheme + "://" + endpoint + path))
        .timeout(REQUEST_TIMEOUT);
  }

  private Response send(String endpoint, HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new CommandFailedException(
          "cannot reach the admin endpoint " + endpoint + " (" + scheme + "): " + why(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailedException(request.method() + " " + request.uri() + " interrupted", e);
    }
  }

  // the JDK's messages of a refused connection or failed handshake are often empty or nested
  private static String why(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof SSLException s) {
        return "TLS handshake failed: " + MessageText.oneLine(s.getMessage());
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : ": " + MessageText.oneLine(root.getMessage()));
  }

  @Override
  public void close() {
    http.close();
  }
}

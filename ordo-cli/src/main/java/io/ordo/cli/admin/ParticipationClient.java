package io.ordo.cli.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.Messages;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
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
    return send(endpoint, request(endpoint, CHANNELS).GET().build());
  }

  /** GET one channel's status and height. */
  public Response channel(String endpoint, String channel) {
    return send(endpoint, request(endpoint, CHANNELS + "/" + channel).GET().build());
  }

  /**
   * GET Ordo's detailed view ({@code ?details=true}): every channel's status, height and ledger
   * details, or one channel's when {@code channel} is set. Fabric's orderer ignores the query and
   * answers as without it.
   */
  public Response details(String endpoint, Optional<String> channel) {
    String path = CHANNELS + channel.map(c -> "/" + c).orElse("") + "?details=true";
    return send(endpoint, request(endpoint, path).GET().build());
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
        return "TLS handshake failed: " + Messages.oneLine(s.getMessage());
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : ": " + Messages.oneLine(root.getMessage()));
  }

  @Override
  public void close() {
    http.close();
  }
}

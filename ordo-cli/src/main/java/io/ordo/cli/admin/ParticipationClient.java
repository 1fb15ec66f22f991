package io.ordo.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.MessageText;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
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

  private final Optional<SSLContext> tls;
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
    this.tls = tls;
    this.scheme = tls.isPresent() ? "https" : "http";
  }

  /** POST the config block: join the node to its channel. */
  public Response join(String endpoint, String channel, byte[] configBlock) {
    JoinBody body = JoinBody.of(channel, configBlock, random);
    return send(endpoint, new Call("POST", CHANNELS, body.contentType(), body.bytes()));
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
    return send(endpoint, Call.get(CHANNELS + query(details)));
  }

  /** GET one channel's status and height. */
  public Response channel(String endpoint, String channel) {
    return channel(endpoint, channel, false);
  }

  /** As {@link #channel(String, String)}, with Ordo's detailed view when {@code details}. */
  public Response channel(String endpoint, String channel, boolean details) {
    return send(endpoint, Call.get(CHANNELS + "/" + channel + query(details)));
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
    return send(endpoint, new Call("DELETE", CHANNELS + "/" + channel, null, null));
  }

  /** GET who leads the channel and its consenters (a route of Ordo's, not Fabric's). */
  public Response leader(String endpoint, String channel) {
    return send(endpoint, Call.get(CHANNELS + "/" + channel + "/leader"));
  }

  /**
   * POST a move of the channel's leadership to a consenter named by cluster endpoint or raft ID;
   * the node answers once it sees the new leader.
   */
  public Response moveLeader(String endpoint, String channel, String consenter) {
    String body = JSON.createObjectNode().put("consenter", consenter).toString();
    return send(
        endpoint,
        new Call(
            "POST",
            CHANNELS + "/" + channel + "/leader",
            "application/json",
            body.getBytes(StandardCharsets.UTF_8)));
  }

  /** POST (drain the node of its leaderships) or DELETE (end the drain). */
  public Response drain(String endpoint, boolean on) {
    return send(endpoint, new Call(on ? "POST" : "DELETE", DRAIN, null, on ? new byte[0] : null));
  }

  /** One request: its method, path and query, and its body with its type when it has one. */
  private record Call(String method, String path, String contentType, byte[] body) {
    static Call get(String path) {
      return new Call("GET", path, null, null);
    }
  }

  // A blocking connection per call, on the caller's thread: the JDK's asynchronous HTTP client
  // hands a request between several threads and costs a short command tens of milliseconds.
  private Response send(String endpoint, Call call) {
    URI uri = URI.create(scheme + "://" + endpoint + call.path());
    HttpURLConnection c = null;
    try {
      c = (HttpURLConnection) uri.toURL().openConnection();
      if (c instanceof HttpsURLConnection https && tls.isPresent()) {
        https.setSSLSocketFactory(tls.get().getSocketFactory());
      }
      c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
      c.setReadTimeout((int) REQUEST_TIMEOUT.toMillis());
      c.setUseCaches(false);
      c.setRequestMethod(call.method());
      if (call.body() != null) {
        c.setDoOutput(true);
        if (call.contentType() != null) {
          c.setRequestProperty("Content-Type", call.contentType());
        }
        c.setFixedLengthStreamingMode(call.body().length);
        try (OutputStream out = c.getOutputStream()) {
          out.write(call.body());
        }
      }
      int status = c.getResponseCode();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      String body = "";
      if (in != null) {
        try (in) {
          body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      return new Response(status, body);
    } catch (IOException e) {
      throw new CommandFailedException(
          "cannot reach the admin endpoint " + endpoint + " (" + scheme + "): " + why(e), e);
    } finally {
      if (c != null) {
        c.disconnect();
      }
    }
  }

  // the JDK's messages of a refused connection or failed handshake are often empty or nested
  private static String why(IOException e) {
    if (e instanceof SocketTimeoutException t) {
      return t.getMessage() != null && t.getMessage().contains("connect")
          ? "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s"
          : "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
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

  /** Nothing to release: each call has its own connection. */
  @Override
  public void close() {}
}

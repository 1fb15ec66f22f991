package io.ordo.orderer.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes JSON the way Go's json.Encoder does (compact, trailing newline), and every response the
 * way Go's server sends it: after reading what is left of a request body the handler did not read.
 */
public final class HttpResponses {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Go's net/http discards up to this much of an unread request body to keep the connection. */
  static final int UNREAD_BODY_LIMIT = 256 * 1024;

  private HttpResponses() {}

  public static void json(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes;
    try {
      bytes = (JSON.writeValueAsString(body) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a response body", e);
    }
    discardUnreadBody(exchange);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  public static void error(HttpExchange exchange, int status, String message) throws IOException {
    json(exchange, status, Map.of("error", message));
  }

  /** A response without body (204, 302, 401...). */
  public static void empty(HttpExchange exchange, int status) throws IOException {
    discardUnreadBody(exchange);
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  public static void text(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    discardUnreadBody(exchange);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /**
   * Reads what the handler left of the request body, up to {@link #UNREAD_BODY_LIMIT}. The JDK's
   * server closes a connection whose request body was not read to the end, right after the
   * response; a client that had put it back in its pool and sends its next request on it at once
   * (refusals are answered before the body is read) races that close, and can hang on it. Go's
   * server reads such a remainder instead and keeps the connection, as clients expect of Fabric.
   */
  private static void discardUnreadBody(HttpExchange exchange) {
    byte[] sink = new byte[8192];
    int left = UNREAD_BODY_LIMIT;
    try {
      InputStream in = exchange.getRequestBody();
      while (left > 0) {
        int n = in.read(sink, 0, Math.min(sink.length, left));
        if (n < 0) {
          return;
        }
        left -= n;
      }
    } catch (IOException e) {
      // the client is gone or sent less than it announced: the response still goes out, and the
      // server closes the connection after it
    }
  }
}

package io.ordo.orderer.admin;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.ordo.fabric.configtx.ChannelIds;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fabric v3.0's channel participation API (orderer/common/channelparticipation/restapi.go): routes,
 * content negotiation, JSON bodies, status codes and error texts.
 */
public final class ParticipationApi implements HttpHandler {
  public static final String BASE = "/participation/v1";
  public static final String CHANNELS = BASE + "/channels";
  static final String CONFIG_BLOCK_PART = "config-block";
  private static final Logger LOG = LoggerFactory.getLogger(ParticipationApi.class);

  private final ChannelManager manager;
  private final long maxRequestBodySize;
  private final List<ChannelDetail> details;

  /**
   * @param maxRequestBodySize ChannelParticipation.MaxRequestBodySize
   */
  public ParticipationApi(ChannelManager manager, long maxRequestBodySize) {
    this(manager, maxRequestBodySize, List.of());
  }

  /**
   * As above, with the Ordo-only parts of the detailed view ({@code ?details=true} on the list and
   * on a channel).
   */
  public ParticipationApi(
      ChannelManager manager, long maxRequestBodySize, List<ChannelDetail> details) {
    this.manager = manager;
    this.maxRequestBodySize = maxRequestBodySize;
    this.details = List.copyOf(details);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    // the answer to a failure is written before the exchange is closed
    try (exchange) {
      try {
        route(exchange);
      } catch (RuntimeException e) {
        LOG.error(
            "participation API failed on {} {}",
            exchange.getRequestMethod(),
            exchange.getRequestURI(),
            e);
        HttpResponses.error(exchange, 500, "internal error: " + e.getMessage());
      }
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    if (path.startsWith(CHANNELS + "/") && path.length() > CHANNELS.length() + 1) {
      String id = path.substring(CHANNELS.length() + 1);
      if (id.contains("/")) {
        notFound(exchange);
      } else if (method.equals("GET")) {
        getChannel(exchange, id);
      } else if (method.equals("DELETE")) {
        removeChannel(exchange, id);
      } else {
        methodNotAllowed(exchange, "GET, DELETE", "invalid request method: " + method);
      }
    } else if (path.equals(CHANNELS)) {
      if (method.equals("GET")) {
        listChannels(exchange);
      } else if (method.equals("POST")) {
        join(exchange);
      } else {
        methodNotAllowed(exchange, "GET, POST", "invalid request method: " + method);
      }
    } else if (path.equals(BASE + "/") && method.equals("GET")) {
      exchange.getResponseHeaders().set("Location", CHANNELS);
      HttpResponses.empty(exchange, 302);
    } else {
      notFound(exchange);
    }
  }

  private static void notFound(HttpExchange exchange) throws IOException {
    HttpResponses.text(exchange, 404, "text/plain; charset=utf-8", "404 page not found\n");
  }

  private static void methodNotAllowed(HttpExchange exchange, String allow, String message)
      throws IOException {
    exchange.getResponseHeaders().set("Allow", allow);
    HttpResponses.error(exchange, 405, message);
  }

  /** Fabric's negotiateContentType: Accept, if present, must allow JSON. */
  private static boolean acceptsJson(HttpExchange exchange) throws IOException {
    List<String> accepts = exchange.getRequestHeaders().get("Accept");
    if (accepts == null || accepts.isEmpty()) {
      return true;
    }
    for (String header : accepts) {
      for (String item : header.split(",")) {
        String media = item.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (media.equals("application/json")
            || media.equals("application/*")
            || media.equals("*/*")) {
          return true;
        }
      }
    }
    HttpResponses.error(exchange, 406, "response Content-Type is application/json only");
    return false;
  }

  private void listChannels(HttpExchange exchange) throws IOException {
    if (!acceptsJson(exchange)) {
      return;
    }
    boolean detailed = detailsAsked(exchange);
    List<Map<String, Object>> channels = new ArrayList<>();
    for (ChannelInfo info : manager.channels()) {
      Map<String, Object> entry;
      if (detailed) {
        entry = json(info);
        addDetails(entry, info.name());
      } else {
        entry = new LinkedHashMap<>();
        entry.put("name", info.name());
        entry.put("url", info.url());
      }
      channels.add(entry);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("systemChannel", null);
    body.put("channels", channels.isEmpty() ? null : channels);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    HttpResponses.json(exchange, 200, body);
  }

  private void getChannel(HttpExchange exchange, String id) throws IOException {
    if (!acceptsJson(exchange) || !validChannelId(exchange, id)) {
      return;
    }
    Optional<ChannelInfo> info = manager.channel(id);
    if (info.isEmpty()) {
      HttpResponses.error(exchange, 404, "channel does not exist");
      return;
    }
    Map<String, Object> body = json(info.get());
    if (detailsAsked(exchange)) {
      addDetails(body, id);
    }
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    HttpResponses.json(exchange, 200, body);
  }

  private void removeChannel(HttpExchange exchange, String id) throws IOException {
    if (!acceptsJson(exchange) || !validChannelId(exchange, id)) {
      return;
    }
    try {
      manager.remove(id);
    } catch (ChannelManagerException e) {
      int status =
          switch (e.kind()) {
            case NOT_FOUND -> 404;
            case PENDING_REMOVAL -> 409;
            default -> 400;
          };
      HttpResponses.error(exchange, status, "cannot remove: " + e.getMessage());
      return;
    }
    HttpResponses.empty(exchange, 204);
  }

  private void join(HttpExchange exchange) throws IOException {
    if (!acceptsJson(exchange)) {
      return;
    }
    List<String> types = exchange.getRequestHeaders().getOrDefault("Content-Type", List.of());
    String contentType = types.isEmpty() ? "" : types.getFirst();
    if (!contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      HttpResponses.error(
          exchange, 400, "unsupported Content-Type: [" + String.join(" ", types) + "]");
      return;
    }
    MultipartForm form;
    try {
      byte[] body = readBounded(exchange.getRequestBody());
      form = MultipartForm.parse(body, MultipartForm.boundary(contentType));
    } catch (IllegalArgumentException e) {
      HttpResponses.error(exchange, 400, "cannot read form from request body: " + e.getMessage());
      return;
    }
    List<MultipartForm.Part> files =
        form.parts().stream().filter(p -> p.fileName().isPresent()).toList();
    boolean hasBlock = files.stream().anyMatch(p -> p.name().equals(CONFIG_BLOCK_PART));
    if (!hasBlock) {
      HttpResponses.error(exchange, 400, "form does not contains part key: " + CONFIG_BLOCK_PART);
      return;
    }
    if (form.parts().size() != 1) {
      HttpResponses.error(exchange, 400, "form contains too many parts");
      return;
    }
    Block block;
    try {
      block = Block.parseFrom(files.getFirst().content());
    } catch (InvalidProtocolBufferException e) {
      HttpResponses.error(
          exchange,
          400,
          "cannot unmarshal file part " + CONFIG_BLOCK_PART + " into a block: " + e.getMessage());
      return;
    }
    String channelId;
    try {
      channelId = JoinBlocks.channelId(block);
    } catch (IllegalArgumentException e) {
      HttpResponses.error(exchange, 400, "invalid join block: " + e.getMessage());
      return;
    }
    Optional<String> badId = ChannelIds.problem(channelId);
    if (badId.isPresent()) {
      HttpResponses.error(exchange, 400, "cannot join: bad channel ID: " + badId.get());
      return;
    }
    ChannelInfo info;
    try {
      info = manager.join(channelId, block);
    } catch (ChannelManagerException e) {
      switch (e.kind()) {
        case ALREADY_EXISTS ->
            methodNotAllowed(exchange, "GET, DELETE", "cannot join: " + e.getMessage());
        case PENDING_REMOVAL ->
            HttpResponses.error(exchange, 409, "cannot join: " + e.getMessage());
        case REMOVAL_FAILED -> HttpResponses.error(exchange, 500, "cannot join: " + e.getMessage());
        case INVALID_JOIN_BLOCK ->
            HttpResponses.error(exchange, 400, "invalid join block: " + e.getMessage());
        default -> HttpResponses.error(exchange, 400, "cannot join: " + e.getMessage());
      }
      return;
    }
    LOG.info("joined channel {} with block {}", channelId, block.getHeader().getNumber());
    exchange.getResponseHeaders().set("Location", info.url());
    HttpResponses.json(exchange, 201, json(info));
  }

  /**
   * The most of an oversized body read and dropped before it is answered: a client writes its whole
   * body before it reads the answer, and a connection closed on bytes it sent and the server did
   * not read is reset, which throws the answer away before the client reads it. Beyond this the
   * connection is closed all the same.
   */
  private static final long OVERSIZED_DRAIN = 16L << 20;

  /** Reads at most the configured size; more is Go's MaxBytesReader error. */
  private byte[] readBounded(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxRequestBodySize + 1));
    if (bytes.length > maxRequestBodySize) {
      drain(in);
      throw new IllegalArgumentException("http: request body too large");
    }
    return bytes;
  }

  /** Reads and drops what is left of a body, up to {@link #OVERSIZED_DRAIN} bytes. */
  private static void drain(InputStream in) throws IOException {
    byte[] sink = new byte[64 * 1024];
    long left = OVERSIZED_DRAIN;
    for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) >= 0; ) {
      left -= n;
    }
  }

  private static boolean validChannelId(HttpExchange exchange, String id) throws IOException {
    Optional<String> problem = ChannelIds.problem(id);
    if (problem.isPresent()) {
      HttpResponses.error(exchange, 400, "invalid channel ID: " + problem.get());
      return false;
    }
    return true;
  }

  /**
   * Whether the request asks for Ordo's detailed view ({@code ?details} or {@code ?details=true}):
   * without it every answer is Fabric's, byte for byte.
   */
  static boolean detailsAsked(HttpExchange exchange) {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null) {
      return false;
    }
    for (String param : query.split("&")) {
      if (param.equals("details") || param.equals("details=true") || param.equals("details=1")) {
        return true;
      }
    }
    return false;
  }

  private void addDetails(Map<String, Object> entry, String channel) {
    Map<String, Object> ordo = new LinkedHashMap<>();
    for (ChannelDetail d : details) {
      d.of(channel).ifPresent(v -> ordo.put(d.key(), v));
    }
    entry.put("ordo", ordo);
  }

  static Map<String, Object> json(ChannelInfo info) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", info.name());
    m.put("url", info.url());
    m.put("consensusRelation", info.consensusRelation());
    m.put("status", info.status());
    m.put("height", info.height());
    return m;
  }
}

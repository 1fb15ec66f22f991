package io.ordo.orderer.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.ordo.fabric.configtx.ChannelIds;
import io.ordo.orderer.ops.ChannelLog;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin routes for leadership, which Fabric lacks: {@code /participation/v1/channels/{channel}/
 * leader} (GET who leads, POST {@code {"consenter": "host:port"}} or a raft ID to move leadership
 * there) and {@code /participation/v1/drain} (GET the state, POST to drain the node before
 * maintenance, DELETE to end the drain). Answers are JSON; refusals are {@code {"error": ...}} as
 * in Fabric's API.
 */
public final class LeadershipApi implements HttpHandler {
  public static final String DRAIN = ParticipationApi.BASE + "/drain";
  private static final Pattern LEADER =
      Pattern.compile(Pattern.quote(ParticipationApi.CHANNELS + "/") + "([^/]+)/leader");
  private static final Logger LOG = LoggerFactory.getLogger(LeadershipApi.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A move request is a small JSON object; anything longer is refused unread. */
  static final int MAX_BODY = 4096;

  /** How long a move waits to see the new leader; a drain waits its own bound. */
  static final Duration MOVE_BOUND = Duration.ofSeconds(10);

  static final Duration DRAIN_BOUND = Duration.ofSeconds(30);

  private final LeadershipControl control;

  public LeadershipApi(LeadershipControl control) {
    this.control = control;
  }

  /** Whether a request for this path is one of these routes. */
  public static boolean serves(String path) {
    return path.equals(DRAIN) || LEADER.matcher(path).matches();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    // the answer to a refusal is written before the exchange is closed
    try (exchange) {
      try {
        route(exchange);
      } catch (LeadershipException e) {
        int status = e.kind() == LeadershipException.Kind.NOT_FOUND ? 404 : 409;
        HttpResponses.error(exchange, status, e.getMessage());
      } catch (RuntimeException e) {
        LOG.error(
            "leadership API failed on {} {}",
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
    if (path.equals(DRAIN)) {
      switch (method) {
        case "GET" -> HttpResponses.json(exchange, 200, json(control.drainState()));
        case "POST" -> {
          LeadershipControl.DrainState state = control.drain(DRAIN_BOUND);
          LOG.info("drained on an admin's request; still leading {}", state.leading());
          HttpResponses.json(exchange, 200, json(state));
        }
        case "DELETE" -> HttpResponses.json(exchange, 200, json(control.undrain()));
        default -> methodNotAllowed(exchange, "GET, POST, DELETE", method);
      }
      return;
    }
    Matcher m = LEADER.matcher(path);
    if (!m.matches()) {
      HttpResponses.text(exchange, 404, "text/plain; charset=utf-8", "404 page not found\n");
      return;
    }
    String channel = m.group(1);
    Optional<String> badId = ChannelIds.problem(channel);
    if (badId.isPresent()) {
      HttpResponses.error(exchange, 400, "invalid channel ID: " + badId.get());
      return;
    }
    switch (method) {
      case "GET" -> HttpResponses.json(exchange, 200, leaderJson(channel));
      case "POST" -> move(exchange, channel);
      default -> methodNotAllowed(exchange, "GET, POST", method);
    }
  }

  private void move(HttpExchange exchange, String channel) throws IOException {
    byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
    if (body.length > MAX_BODY) {
      HttpResponses.error(exchange, 400, "request body over " + MAX_BODY + " bytes");
      return;
    }
    String named;
    try {
      JsonNode consenter = JSON.readTree(body).path("consenter");
      if (!consenter.isTextual() && !consenter.isIntegralNumber()) {
        throw new IllegalArgumentException("no consenter");
      }
      named = consenter.asText().trim();
    } catch (IOException | RuntimeException e) {
      HttpResponses.error(
          exchange,
          400,
          "request body must be JSON naming the consenter by cluster endpoint or raft ID, as in"
              + " {\"consenter\": \"orderer2.example.com:7050\"}");
      return;
    }
    List<LeadershipControl.Consenter> consenters = control.consenters(channel);
    Optional<LeadershipControl.Consenter> to =
        consenters.stream()
            .filter(k -> k.endpoint().equals(named) || Long.toString(k.id()).equals(named))
            .findFirst();
    if (to.isEmpty()) {
      HttpResponses.error(
          exchange,
          400,
          "channel "
              + channel
              + " has no consenter "
              + named
              + "; its consenters are "
              + consenters.stream()
                  .map(k -> k.id() + " (" + k.endpoint() + ")")
                  .collect(Collectors.joining(", ")));
      return;
    }
    LeadershipControl.Consenter leader = control.moveLeader(channel, to.get(), MOVE_BOUND);
    ChannelLog.of(LOG, channel)
        .info("leadership moved to {} ({}) on an admin's request", leader.id(), leader.endpoint());
    HttpResponses.json(exchange, 200, leaderJson(channel));
  }

  private Map<String, Object> leaderJson(String channel) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("channel", channel);
    body.put("leader", control.leader(channel).map(LeadershipApi::json).orElse(null));
    body.put("consenters", control.consenters(channel).stream().map(LeadershipApi::json).toList());
    return body;
  }

  private static Map<String, Object> json(LeadershipControl.Consenter k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", k.id());
    m.put("endpoint", k.endpoint());
    return m;
  }

  private static Map<String, Object> json(LeadershipControl.DrainState state) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("drained", state.drained());
    m.put("leading", state.leading());
    return m;
  }

  private static void methodNotAllowed(HttpExchange exchange, String allow, String method)
      throws IOException {
    exchange.getResponseHeaders().set("Allow", allow);
    HttpResponses.error(exchange, 405, "invalid request method: " + method);
  }
}

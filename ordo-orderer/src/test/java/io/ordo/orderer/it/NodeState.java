package io.ordo.orderer.it;

import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a node says of the channel: its participation API entry and its {@code /healthz} answer. A
 * node serves the channel when both say so; otherwise they must say why.
 *
 * @param channel the participation API's JSON for the channel, empty when the node does not answer
 *     or does not hold the channel
 * @param healthStatus the HTTP status of {@code /healthz}, 0 when the node does not answer
 * @param health the body of {@code /healthz}
 */
record NodeState(int node, Optional<String> channel, int healthStatus, String health) {
  private static final Pattern STATUS = Pattern.compile("\"status\":\"([a-z]+)\"");
  private static final Pattern HEIGHT = Pattern.compile("\"height\":(\\d+)");

  static NodeState of(ProcessCluster cluster, int node) {
    Optional<HttpResponse<String>> h = cluster.healthz(node);
    return new NodeState(
        node,
        cluster.channelInfo(node),
        h.map(HttpResponse::statusCode).orElse(0),
        h.map(HttpResponse::body).orElse(""));
  }

  /** active, onboarding, failed, ... ; "unanswered" when the node does not list the channel. */
  String status() {
    return channel
        .map(STATUS::matcher)
        .filter(Matcher::find)
        .map(m -> m.group(1))
        .orElse("unanswered");
  }

  long height() {
    return channel
        .map(HEIGHT::matcher)
        .filter(Matcher::find)
        .map(m -> Long.parseLong(m.group(1)))
        .orElse(-1L);
  }

  /** Active in the participation API and healthy on {@code /healthz}. */
  boolean serving() {
    return status().equals("active") && healthStatus == 200;
  }

  /**
   * Not serving and saying why: a status other than active and a 503 whose failed check names the
   * channel with a reason.
   */
  boolean reportsWhyNot() {
    return !status().equals("active")
        && !status().equals("unanswered")
        && healthStatus == 503
        && health.contains(ClusterFiles.CHANNEL);
  }

  @Override
  public String toString() {
    return "node "
        + node
        + ": "
        + status()
        + ", height "
        + height()
        + ", /healthz "
        + healthStatus
        + (healthStatus == 200 ? "" : " " + health);
  }
}

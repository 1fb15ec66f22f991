package io.ordo.cli.client;

import io.ordo.cli.CommandFailedException;
import java.util.ArrayList;
import java.util.List;

/**
 * An orderer's client (Broadcast/Deliver) address.
 *
 * @param host a host name or IP literal (IPv6 without brackets)
 * @param port the TCP port
 */
public record OrdererEndpoint(String host, int port) {
  public OrdererEndpoint {
    if (host.isBlank() || port < 1 || port > 65535) {
      throw new IllegalArgumentException("bad orderer endpoint " + host + ":" + port);
    }
  }

  /** Parses {@code host:port} ({@code [v6]:port} for IPv6). */
  public static OrdererEndpoint parse(String text) {
    String t = text.strip();
    int colon = t.lastIndexOf(':');
    if (colon <= 0 || colon == t.length() - 1) {
      throw new CommandFailedException("orderer address '" + text + "' is not host:port");
    }
    String host = t.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(t.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new CommandFailedException("orderer address '" + text + "' has no numeric port");
    }
    if (port < 1 || port > 65535) {
      throw new CommandFailedException("orderer address '" + text + "': port out of range");
    }
    return new OrdererEndpoint(host, port);
  }

  /** Parses each of {@code texts}, each of which may itself be a comma-separated list. */
  public static List<OrdererEndpoint> parseAll(List<String> texts) {
    List<OrdererEndpoint> out = new ArrayList<>();
    for (String t : texts) {
      for (String one : t.split(",")) {
        if (!one.isBlank()) {
          out.add(parse(one));
        }
      }
    }
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}

package io.ordo.orderer.admin;

/**
 * Fabric's HTTP listeners (admin and operations) give a client 10 seconds to send its request and
 * the server 2 minutes to answer; without a bound, a client that stalls mid-handshake or
 * mid-request keeps its connection forever. The JDK's HTTP server reads its limits once, from
 * system properties, when the first server of the process is created; an operator's own {@code -D}
 * values win.
 */
public final class HttpTimeouts {
  static final String MAX_REQUEST_SECONDS = "sun.net.httpserver.maxReqTime";
  static final String MAX_RESPONSE_SECONDS = "sun.net.httpserver.maxRspTime";

  private HttpTimeouts() {}

  /** To be called before an HTTP server is created. */
  public static void applyFabricDefaults() {
    setIfAbsent(MAX_REQUEST_SECONDS, "10");
    setIfAbsent(MAX_RESPONSE_SECONDS, "120");
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }
}

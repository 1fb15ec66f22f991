package io.ordo.orderer.ops;

/** The value of a series without labels in a Prometheus text exposition. */
final class PrometheusText {
  private PrometheusText() {}

  static double value(String scrape, String name) {
    return scrape
        .lines()
        .filter(l -> l.startsWith(name + " "))
        .map(l -> Double.parseDouble(l.substring(name.length() + 1).strip()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " is not in the scrape"));
  }
}

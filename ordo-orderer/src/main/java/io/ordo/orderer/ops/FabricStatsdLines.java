package io.ordo.orderer.ops;

import io.micrometer.core.instrument.Statistic;
import io.micrometer.statsd.StatsdLineBuilder;
import java.util.Locale;

/**
 * The lines of one bucket as Fabric's StatsD client (go-kit's) writes them: {@code bucket:value|c},
 * {@code |g}, and {@code |ms} for a histogram, whose values are Fabric's, in seconds despite the
 * unit's name; numbers as Go's {@code %f} prints them.
 */
final class FabricStatsdLines implements StatsdLineBuilder {
  private final String bucket;

  /**
   * @param bucket the full name, prefix included
   */
  FabricStatsdLines(String bucket) {
    this.bucket = bucket;
  }

  @Override
  public String count(long amount, Statistic stat) {
    return line(amount, "c");
  }

  @Override
  public String gauge(double amount, Statistic stat) {
    return line(amount, "g");
  }

  @Override
  public String histogram(double amount) {
    return line(amount, "ms");
  }

  /** Micrometer gives a timer's observations in milliseconds; Fabric observes seconds. */
  @Override
  public String timing(double timeMs) {
    return line(timeMs / 1000, "ms");
  }

  private String line(double value, String type) {
    return bucket + ":" + String.format(Locale.ROOT, "%f", value) + "|" + type;
  }
}

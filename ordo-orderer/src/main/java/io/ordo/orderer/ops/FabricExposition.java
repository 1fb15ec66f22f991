package io.ordo.orderer.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The Prometheus text format (0.0.4) of a registry's meters as Fabric's Go client writes it, so
 * that a dashboard or alert written for Fabric's orderer reads Ordo's unchanged. A meter's name is
 * written as registered, nothing added: a counter is {@code broadcast_processed_count}, not the
 * {@code broadcast_processed_count_total} of Micrometer's Prometheus writer, and a timer is a
 * histogram ({@code _bucket} with {@code le}, {@code _sum} and {@code _count} in seconds) without
 * Micrometer's {@code _max} gauge. Families come sorted by name and series by label values, labels
 * by name with {@code le} last, and numbers as Go prints them ({@link GoFloat}), as Fabric's scrape
 * has them.
 */
final class FabricExposition {
  private FabricExposition() {}

  /**
   * The exposition of every meter in {@code registry}, whose names must be Prometheus names.
   *
   * @throws IllegalStateException for a kind of meter Fabric's metrics do not use (a long task
   *     timer, a function timer)
   */
  static String render(MeterRegistry registry) {
    Map<String, List<Meter>> families = new TreeMap<>();
    for (Meter m : registry.getMeters()) {
      families.computeIfAbsent(m.getId().getName(), n -> new ArrayList<>()).add(m);
    }
    StringBuilder out = new StringBuilder();
    families.forEach((name, meters) -> family(out, name, meters));
    return out.toString();
  }

  private static void family(StringBuilder out, String name, List<Meter> meters) {
    meters.sort(Comparator.comparing(FabricExposition::labelValues));
    Meter first = meters.getFirst();
    String help = first.getId().getDescription();
    if (help != null && !help.isEmpty()) {
      out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
    }
    out.append("# TYPE ").append(name).append(' ').append(type(first)).append('\n');
    for (Meter m : meters) {
      String labels = labels(m, null);
      switch (m) {
        case Counter c -> sample(out, name, labels, c.count());
        case FunctionCounter c -> sample(out, name, labels, c.count());
        case TimeGauge g -> sample(out, name, labels, g.value(TimeUnit.SECONDS));
        case Gauge g -> sample(out, name, labels, g.value());
        case Timer t -> histogram(out, name, m, t.takeSnapshot());
        case DistributionSummary s -> histogram(out, name, m, s.takeSnapshot());
        default ->
            throw new IllegalStateException(
                "meter " + name + " is a " + m.getClass().getSimpleName() + ", not exposed");
      }
    }
  }

  private static String type(Meter m) {
    return switch (m) {
      case Counter c -> "counter";
      case FunctionCounter c -> "counter";
      case Gauge g -> "gauge"; // a TimeGauge too
      default -> "histogram";
    };
  }

  /** Timers are in seconds: a timer snapshot's buckets and sum come out in that unit. */
  private static void histogram(StringBuilder out, String name, Meter m, HistogramSnapshot s) {
    boolean timer = m instanceof Timer;
    for (CountAtBucket b : s.histogramCounts()) {
      double bound = timer ? b.bucket(TimeUnit.SECONDS) : b.bucket();
      sample(out, name + "_bucket", labels(m, GoFloat.format(bound)), b.count());
    }
    sample(out, name + "_bucket", labels(m, "+Inf"), s.count());
    sample(out, name + "_sum", labels(m, null), timer ? s.total(TimeUnit.SECONDS) : s.total());
    sample(out, name + "_count", labels(m, null), s.count());
  }

  private static void sample(StringBuilder out, String name, String labels, double value) {
    out.append(name).append(labels).append(' ').append(GoFloat.format(value)).append('\n');
  }

  /** {@code {a="1",b="2"}} with the tags sorted by key, {@code le} last when given. */
  private static String labels(Meter m, String le) {
    List<Tag> tags = m.getId().getTags(); // sorted by key
    if (tags.isEmpty() && le == null) {
      return "";
    }
    StringBuilder b = new StringBuilder("{");
    for (Tag t : tags) {
      label(b, t.getKey(), t.getValue());
    }
    if (le != null) {
      label(b, "le", le);
    }
    b.setLength(b.length() - 1);
    return b.append('}').toString();
  }

  private static void label(StringBuilder b, String key, String value) {
    b.append(key).append("=\"").append(escapeLabel(value)).append("\",");
  }

  private static String labelValues(Meter m) {
    StringBuilder b = new StringBuilder();
    m.getId().getTags().forEach(t -> b.append(t.getValue()).append('\0'));
    return b.toString();
  }

  private static String escapeHelp(String s) {
    return s.replace("\\", "\\\\").replace("\n", "\\n");
  }

  private static String escapeLabel(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}

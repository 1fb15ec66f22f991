package io.ordo.orderer.testing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Metric families read from a Prometheus text exposition (a live scrape of any orderer, Fabric's or
 * Ordo's) or from a recorded list ({@code ops/fabric-v3.0.0-orderer-metrics.txt}): what {@link
 * ScrapeComparison} compares.
 */
public final class MetricFamilies {
  private static final Pattern TYPE = Pattern.compile("# TYPE (\\S+) (\\S+)");
  private static final Pattern SAMPLE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+\\S+.*");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final List<String> SUFFIXES = List.of("_bucket", "_sum", "_count", "");

  private MetricFamilies() {}

  /** The families of one scrape, by name. */
  public static Map<String, MetricFamily> fromScrape(String text) {
    Map<String, Builder> families = new TreeMap<>();
    for (String line : text.split("\n")) {
      Matcher type = TYPE.matcher(line);
      if (type.matches()) {
        families.putIfAbsent(type.group(1), new Builder(type.group(2)));
        continue;
      }
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      if (!sample.matches()) {
        throw new IllegalArgumentException("not a Prometheus sample line: " + line);
      }
      String name = sample.group(1);
      Builder family = null;
      for (String suffix : SUFFIXES) {
        if (name.endsWith(suffix)) {
          family = families.get(name.substring(0, name.length() - suffix.length()));
          if (family != null) {
            break;
          }
        }
      }
      if (family == null) {
        throw new IllegalArgumentException("a sample of no family: " + line);
      }
      Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
      while (label.find()) {
        family.label(label.group(1), label.group(2));
      }
    }
    Map<String, MetricFamily> out = new TreeMap<>();
    families.forEach((name, b) -> out.put(name, b.build(name, "")));
    return out;
  }

  /** The union of several scrapes (the nodes of one cluster): labels and buckets merged. */
  public static Map<String, MetricFamily> union(Collection<Map<String, MetricFamily>> scrapes) {
    Map<String, MetricFamily> out = new TreeMap<>();
    for (Map<String, MetricFamily> scrape : scrapes) {
      scrape.forEach(
          (name, f) ->
              out.merge(
                  name,
                  f,
                  (a, b) -> {
                    SortedSet<String> labels = new TreeSet<>(a.labels());
                    labels.addAll(b.labels());
                    TreeSet<Double> buckets = new TreeSet<>(a.buckets());
                    buckets.addAll(b.buckets());
                    return new MetricFamily(
                        name, a.type(), labels, new ArrayList<>(buckets), a.source());
                  }));
    }
    return out;
  }

  /**
   * A recorded list: one family a line, {@code name type source labels buckets} with comma
   * separated labels and buckets ({@code -} for none); {@code #} lines are notes.
   */
  public static Map<String, MetricFamily> fromRecording(List<String> lines) {
    Map<String, MetricFamily> out = new TreeMap<>();
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      if (f.length != 5) {
        throw new IllegalArgumentException("not a recorded family: " + line);
      }
      SortedSet<String> labels =
          new TreeSet<>(f[3].equals("-") ? List.of() : List.of(f[3].split(",")));
      List<Double> buckets =
          f[4].equals("-")
              ? List.of()
              : java.util.Arrays.stream(f[4].split(",")).map(Double::valueOf).toList();
      out.put(f[0], new MetricFamily(f[0], f[1], labels, buckets, f[2]));
    }
    return out;
  }

  private static final class Builder {
    private final String type;
    private final SortedSet<String> labels = new TreeSet<>();
    private final TreeSet<Double> buckets = new TreeSet<>();

    Builder(String type) {
      this.type = type;
    }

    void label(String name, String value) {
      if (name.equals("le") && type.equals("histogram")) {
        if (!value.equals("+Inf")) {
          buckets.add(Double.valueOf(value));
        }
      } else if (!(name.equals("quantile") && type.equals("summary"))) {
        labels.add(name);
      }
    }

    MetricFamily build(String name, String source) {
      return new MetricFamily(name, type, labels, new ArrayList<>(buckets), source);
    }
  }
}

package io.ordo.orderer.ops;

import io.micrometer.core.instrument.Meter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The StatsD bucket of each of Fabric's orderer metrics ({@code
 * broadcast.processed_count.%{channel}.%{type}.%{status}}), recorded from Fabric v3.0.0's metrics
 * reference in {@code fabric-statsd-buckets.txt}, and the bucket of a meter registered under
 * Fabric's Prometheus name and labels. Meters Fabric does not send to StatsD (the process and JVM
 * series, etcd's own) have none.
 */
final class FabricStatsdBuckets {
  private static final Pattern LABEL = Pattern.compile("%\\{([#?A-Za-z0-9_]+)}");

  /** As Fabric's namer: characters that would break a bucket name become '_'. */
  private static final Pattern INVALID_IN_VALUE = Pattern.compile("[.|:\\s]");

  private final Map<String, String> formatByPrometheusName;

  private FabricStatsdBuckets(Map<String, String> formats) {
    this.formatByPrometheusName = Map.copyOf(formats);
  }

  static FabricStatsdBuckets fabricV3() {
    Map<String, String> formats = new HashMap<>();
    try (InputStream in =
            FabricStatsdBuckets.class.getResourceAsStream("fabric-statsd-buckets.txt");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String format = line.split(" ")[0];
        int labels = format.indexOf(".%{");
        String fqname = labels < 0 ? format : format.substring(0, labels);
        formats.put(fqname.replace('.', '_'), format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read fabric-statsd-buckets.txt", e);
    }
    return new FabricStatsdBuckets(formats);
  }

  boolean has(Meter.Id id) {
    return formatByPrometheusName.containsKey(id.getName());
  }

  /** The bucket of {@code id}; a label the meter lacks reads "unknown", as in Fabric. */
  Optional<String> bucket(Meter.Id id) {
    String format = formatByPrometheusName.get(id.getName());
    if (format == null) {
      return Optional.empty();
    }
    Matcher m = LABEL.matcher(format);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = id.getTag(m.group(1));
      String safe = value == null ? "unknown" : INVALID_IN_VALUE.matcher(value).replaceAll("_");
      m.appendReplacement(out, Matcher.quoteReplacement(safe));
    }
    m.appendTail(out);
    return Optional.of(out.toString());
  }
}

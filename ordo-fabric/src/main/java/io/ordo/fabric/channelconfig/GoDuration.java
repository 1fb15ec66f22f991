package io.ordo.fabric.channelconfig;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Go's time.ParseDuration syntax ("2s", "500ms", "1h30m", "1.5s"). */
public final class GoDuration {
  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

  private GoDuration() {}

  public static Duration parse(String text) {
    String s = text.trim();
    boolean negative = s.startsWith("-");
    if (negative || s.startsWith("+")) {
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("invalid duration '" + text + "'");
    }
    Matcher m = PART.matcher(s);
    double nanos = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      double value = Double.parseDouble(m.group(1));
      nanos +=
          value
              * switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
              };
      end = m.end();
    }
    if (end != s.length()) {
      throw new IllegalArgumentException("invalid duration '" + text + "'");
    }
    Duration d = Duration.ofNanos(Math.round(nanos));
    return negative ? d.negated() : d;
  }
}

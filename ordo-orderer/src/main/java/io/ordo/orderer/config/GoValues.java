package io.ordo.orderer.config;

import io.ordo.fabric.channelconfig.GoDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses values the way Fabric's Go config layer does (strconv, time.ParseDuration, viperutil's
 * list and byte-size hooks), so that a value accepted by a Fabric orderer means the same here.
 */
final class GoValues {
  private static final Pattern BYTE_SIZE = Pattern.compile("^([0-9]+)\\s*([kKmMgG])[bB]?$");

  private GoValues() {}

  /** strconv.ParseBool: 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False. */
  static boolean parseBool(String key, String text) {
    return switch (text) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> false;
      default -> throw new LocalConfigException(key, "'" + text + "' is not a boolean");
    };
  }

  static long parseInt(String key, String text, long min, long max) {
    long v;
    try {
      v = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new LocalConfigException(key, "'" + text + "' is not an integer", e);
    }
    if (v < min || v > max) {
      throw new LocalConfigException(key, v + " is out of range [" + min + ", " + max + "]");
    }
    return v;
  }

  static double parseFloat(String key, String text) {
    try {
      double d = Double.parseDouble(text.trim());
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new NumberFormatException("not finite");
      }
      return d;
    } catch (NumberFormatException e) {
      throw new LocalConfigException(key, "'" + text + "' is not a number", e);
    }
  }

  /**
   * A Go duration string; a bare integer counts nanoseconds, as mapstructure converts a YAML number
   * into a time.Duration.
   */
  static Duration parseDuration(String key, String text) {
    String t = text.trim();
    if (t.matches("-?[0-9]+")) {
      return Duration.ofNanos(parseInt(key, t, Long.MIN_VALUE, Long.MAX_VALUE));
    }
    try {
      return GoDuration.parse(t);
    } catch (IllegalArgumentException e) {
      throw new LocalConfigException(key, "'" + text + "' is not a duration: " + e.getMessage(), e);
    }
  }

  /** viperutil's byte size hook: {@code <n>[ ]K|M|G[B]}, powers of 1024, into a uint32. */
  static long parseByteSize(String key, String text) {
    String t = text.trim();
    Matcher m = BYTE_SIZE.matcher(t);
    if (!m.matches()) {
      return parseInt(key, t, 0, 0xFFFFFFFFL);
    }
    long n = parseInt(key, m.group(1), 0, Long.MAX_VALUE);
    int shift =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "k" -> 10;
          case "m" -> 20;
          default -> 30;
        };
    if (n > (0xFFFFFFFFL >> shift)) {
      throw new LocalConfigException(key, "'" + text + "' does not fit in 32 bits");
    }
    return n << shift;
  }

  /**
   * A list from a single string: {@code [a, b, c]} splits on commas and trims each item; any other
   * string is a list of that one item; an empty string is an empty list.
   */
  static List<String> parseList(String text) {
    String t = text.trim();
    if (t.length() > 1 && t.charAt(0) == '[' && t.charAt(t.length() - 1) == ']') {
      String inner = t.substring(1, t.length() - 1).trim();
      List<String> items = new ArrayList<>();
      if (inner.isEmpty()) {
        return items;
      }
      for (String s : inner.split(",", -1)) {
        items.add(s.trim());
      }
      return items;
    }
    return t.isEmpty() ? List.of() : List.of(t);
  }
}

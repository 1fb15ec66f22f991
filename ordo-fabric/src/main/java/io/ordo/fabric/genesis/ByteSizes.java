package io.ordo.fabric.genesis;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** configtxgen's byte sizes: a number with an optional KB, MB or GB suffix, binary multiples. */
public final class ByteSizes {
  private static final Pattern SIZE = Pattern.compile("\\s*(\\d+)\\s*([KMG]B?)?\\s*");

  private ByteSizes() {}

  public static long parse(String where, String text) {
    Matcher m = SIZE.matcher(text.toUpperCase(java.util.Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(where + ": not a byte size: '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2).substring(0, 1);
    return switch (unit) {
      case "K" -> n << 10;
      case "M" -> n << 20;
      case "G" -> n << 30;
      default -> n;
    };
  }
}

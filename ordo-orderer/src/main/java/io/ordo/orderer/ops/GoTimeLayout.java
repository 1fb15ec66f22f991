package io.ordo.orderer.ops;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * A Go time layout ({@code 2006-01-02 15:04:05.000 MST}, what {@code %{time:...}} of {@code
 * FABRIC_LOGGING_FORMAT} takes) as a {@link DateTimeFormatter}; Fabric prints the machine's local
 * time. Go's reference parts are recognised; a fraction of nines ({@code .999}, which Go trims of
 * trailing zeros) is written in full as a fraction of zeros; anything else is text.
 */
final class GoTimeLayout {
  /** Go's layout parts, longest first where one starts another, and their pattern letters. */
  private static final List<String[]> PARTS =
      List.of(
          new String[] {"January", "MMMM"},
          new String[] {"Jan", "MMM"},
          new String[] {"Monday", "EEEE"},
          new String[] {"Mon", "EEE"},
          new String[] {"MST", "zzz"},
          new String[] {"2006", "uuuu"},
          new String[] {"Z07:00", "XXX"},
          new String[] {"Z0700", "XX"},
          new String[] {"Z07", "X"},
          new String[] {"-07:00", "xxx"},
          new String[] {"-0700", "xx"},
          new String[] {"-07", "x"},
          new String[] {"002", "DDD"},
          new String[] {"01", "MM"},
          new String[] {"02", "dd"},
          new String[] {"_2", "ppd"},
          new String[] {"03", "hh"},
          new String[] {"04", "mm"},
          new String[] {"05", "ss"},
          new String[] {"06", "uu"},
          new String[] {"15", "HH"},
          new String[] {"PM", "a"},
          new String[] {"1", "M"},
          new String[] {"2", "d"},
          new String[] {"3", "h"},
          new String[] {"4", "m"},
          new String[] {"5", "s"});

  private GoTimeLayout() {}

  static DateTimeFormatter formatter(String layout, ZoneId zone) {
    // Go names UTC "UTC" where Java's offset would print "Z"
    ZoneId named = zone.equals(ZoneOffset.UTC) ? ZoneId.of("UTC") : zone;
    return DateTimeFormatter.ofPattern(pattern(layout), Locale.ROOT).withZone(named);
  }

  static String pattern(String layout) {
    StringBuilder out = new StringBuilder();
    StringBuilder text = new StringBuilder();
    int i = 0;
    while (i < layout.length()) {
      int fraction = fractionLength(layout, i);
      if (fraction > 0) {
        flush(out, text);
        out.append(layout.charAt(i)).append("S".repeat(fraction - 1));
        i += fraction;
        continue;
      }
      String[] part = partAt(layout, i);
      if (part != null) {
        flush(out, text);
        out.append(part[1]);
        i += part[0].length();
      } else {
        text.append(layout.charAt(i++));
      }
    }
    flush(out, text);
    return out.toString();
  }

  /** {@code .000} or {@code ,999} after seconds: its length with the separator, else 0. */
  private static int fractionLength(String layout, int i) {
    char c = layout.charAt(i);
    if ((c != '.' && c != ',') || i + 1 >= layout.length()) {
      return 0;
    }
    char digit = layout.charAt(i + 1);
    if (digit != '0' && digit != '9') {
      return 0;
    }
    int end = i + 1;
    while (end < layout.length() && layout.charAt(end) == digit) {
      end++;
    }
    boolean digitFollows = end < layout.length() && Character.isDigit(layout.charAt(end));
    return digitFollows ? 0 : end - i;
  }

  private static String[] partAt(String layout, int i) {
    for (String[] p : PARTS) {
      if (layout.startsWith(p[0], i)) {
        return p;
      }
    }
    return null;
  }

  private static void flush(StringBuilder out, StringBuilder text) {
    if (text.isEmpty()) {
      return;
    }
    String literal = text.toString();
    if (literal.chars().anyMatch(Character::isLetter) || literal.contains("'")) {
      out.append('\'').append(literal.replace("'", "''")).append('\'');
    } else {
      out.append(literal.replaceAll("([\\[\\]{}#])", "'$1'"));
    }
    text.setLength(0);
  }
}

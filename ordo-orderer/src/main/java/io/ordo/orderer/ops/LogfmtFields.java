package io.ordo.orderer.ops;

import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * Fields in logfmt ({@code channel=mychannel node=2}), as Fabric appends them to a console line and
 * writes them in its logfmt format: a value with a space, an equals sign, a quote or a control
 * character is quoted, with Go's escapes.
 */
final class LogfmtFields {
  private LogfmtFields() {}

  static void append(StringBuilder out, List<KeyValuePair> fields) {
    for (KeyValuePair f : fields) {
      if (!out.isEmpty() && out.charAt(out.length() - 1) != ' ') {
        out.append(' ');
      }
      out.append(f.key).append('=');
      value(out, String.valueOf(f.value));
    }
  }

  static void value(StringBuilder out, String v) {
    if (!needsQuotes(v)) {
      out.append(v);
      return;
    }
    out.append('"');
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < ' ') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static boolean needsQuotes(String v) {
    if (v.isEmpty()) {
      return true;
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c <= ' ' || c == '=' || c == '"') {
        return true;
      }
    }
    return false;
  }
}

package io.ordo.orderer.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fabric's console log format: a {@code FABRIC_LOGGING_FORMAT} of {@code %{verb}} and {@code
 * %{verb:directive}} among plain text, by default {@value #DEFAULT_FORMAT}, which prints {@code
 * 2024-01-01 12:00:00.000 UTC 0001 INFO [orderer.consensus.etcdraft] BlockApplier -> Writing block
 * [5] (Raft index: 7) to ledger channel=mychannel node=2}. The verbs are Fabric's: {@code time} (a
 * Go time layout, {@link GoTimeLayout}), {@code id} (a sequence number of the process's lines),
 * {@code level}, {@code module} (the component, {@link FabricLoggers}), {@code shortfunc} (Fabric
 * names the function; Ordo the class, since the method would cost a stack walk per line), {@code
 * message}, and {@code color}, which Ordo leaves out so that log files stay plain text. A directive
 * is a Go format verb ({@code .4s}, {@code 04x}, {@code -10s}). The line's fields follow the
 * message in logfmt, and a throwable's stack the line.
 */
final class ConsoleLogLayout extends LayoutBase<ILoggingEvent> {
  static final String DEFAULT_FORMAT =
      "%{color}%{time:2006-01-02 15:04:05.000 MST} %{id:04x} %{level:.4s}%{color:reset}"
          + " [%{module}] %{color:bold}%{shortfunc}%{color:reset} -> %{message}";

  private static final Pattern VERB =
      Pattern.compile("%\\{(color|id|level|message|module|shortfunc|time)(?::(.*?))?}");
  private static final Pattern GO_DIRECTIVE = Pattern.compile("[-+# 0]*\\d*(\\.\\d+)?[a-zA-Z]");

  @FunctionalInterface
  private interface Part {
    void append(StringBuilder out, LogLine line, long id);
  }

  private final List<Part> parts;
  private final AtomicLong sequence = new AtomicLong();

  private ConsoleLogLayout(List<Part> parts) {
    this.parts = List.copyOf(parts);
  }

  /**
   * @throws IllegalArgumentException for a colour option other than {@code bold} and {@code reset},
   *     as Fabric refuses it
   */
  static ConsoleLogLayout parse(String format) {
    return parse(format, ZoneId.systemDefault());
  }

  /** As {@link #parse(String)}, with times in {@code zone}. */
  static ConsoleLogLayout parse(String format, ZoneId zone) {
    List<Part> parts = new ArrayList<>();
    Matcher m = VERB.matcher(format);
    int cursor = 0;
    while (m.find()) {
      if (m.start() > cursor) {
        String text = format.substring(cursor, m.start());
        parts.add((out, line, id) -> out.append(text));
      }
      parts.add(part(m.group(1), m.group(2) == null ? "" : m.group(2), zone));
      cursor = m.end();
    }
    if (cursor < format.length()) {
      String text = format.substring(cursor);
      parts.add((out, line, id) -> out.append(text));
    }
    return new ConsoleLogLayout(parts);
  }

  private static Part part(String verb, String directive, ZoneId zone) {
    return switch (verb) {
      case "color" -> {
        if (!directive.isEmpty() && !directive.equals("bold") && !directive.equals("reset")) {
          throw new IllegalArgumentException("invalid color option: " + directive);
        }
        yield (out, line, id) -> {};
      }
      case "id" -> (out, line, id) -> out.append(go(directive, "d", id));
      case "level" -> (out, line, id) -> out.append(go(directive, "s", line.capitalLevel()));
      case "module" -> (out, line, id) -> out.append(go(directive, "s", line.component()));
      case "shortfunc" -> (out, line, id) -> out.append(go(directive, "s", line.className()));
      case "message" ->
          (out, line, id) -> out.append(go(directive, "s", line.message().stripTrailing()));
      default -> {
        DateTimeFormatter time =
            GoTimeLayout.formatter(
                directive.isEmpty() ? "2006-01-02T15:04:05.999Z07:00" : directive, zone);
        yield (out, line, id) -> out.append(time.format(line.time()));
      }
    };
  }

  /** A value through a Go format directive ({@code .4s}, {@code 04x}), else plainly. */
  private static String go(String directive, String defaultVerb, Object value) {
    String d = directive.isEmpty() ? defaultVerb : directive;
    if (!GO_DIRECTIVE.matcher(d).matches()) {
      return String.valueOf(value);
    }
    char verb = d.charAt(d.length() - 1);
    String java = d.substring(0, d.length() - 1) + (verb == 'v' || verb == 'q' ? 's' : verb);
    try {
      return String.format("%" + java, value);
    } catch (IllegalFormatException e) {
      return String.valueOf(value);
    }
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    LogLine line = LogLine.of(event);
    long id = sequence.incrementAndGet();
    StringBuilder out = new StringBuilder(160);
    for (Part p : parts) {
      p.append(out, line, id);
    }
    if (!line.fields().isEmpty()) {
      out.append(' ');
      LogfmtFields.append(out, line.fields());
    }
    out.append('\n');
    if (!line.stack().isEmpty()) {
      out.append(line.stack());
    }
    return out.toString();
  }
}

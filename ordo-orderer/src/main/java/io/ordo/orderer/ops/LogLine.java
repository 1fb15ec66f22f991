package io.ordo.orderer.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.slf4j.event.KeyValuePair;

/**
 * One logging event as Fabric's formats see it: the time, the level in Fabric's words, the
 * component ({@link FabricLoggers}), the class that logged, the message, the fields ({@code
 * channel}, {@code node}) and a throwable's stack if there is one.
 */
record LogLine(
    Instant time,
    String level,
    String component,
    String className,
    String message,
    List<KeyValuePair> fields,
    String stack) {

  static LogLine of(ILoggingEvent event) {
    List<KeyValuePair> fields = event.getKeyValuePairs();
    IThrowableProxy thrown = event.getThrowableProxy();
    return new LogLine(
        event.getInstant(),
        levelName(event.getLevel()),
        FabricLoggers.fabricName(event.getLoggerName()),
        FabricLoggers.className(event.getLoggerName()),
        event.getFormattedMessage(),
        fields == null ? List.of() : fields,
        thrown == null ? "" : ThrowableProxyUtil.asString(thrown));
  }

  /** Zap's lower-case level names; logback's trace is Fabric's payload, below debug. */
  private static String levelName(Level level) {
    return switch (level.toInt()) {
      case Level.TRACE_INT -> "payload";
      case Level.DEBUG_INT -> "debug";
      case Level.INFO_INT -> "info";
      case Level.WARN_INT -> "warn";
      default -> "error";
    };
  }

  /** Zap's capital level names, as the console format prints them. */
  String capitalLevel() {
    return level.toUpperCase(Locale.ROOT);
  }
}

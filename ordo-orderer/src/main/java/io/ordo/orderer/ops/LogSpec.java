package io.ordo.orderer.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Fabric's logging spec ({@code FABRIC_LOGGING_SPEC}, {@code /logspec}): colon-separated segments,
 * each a level (the default) or {@code logger[,logger...]=level}; e.g. {@code
 * orderer.consensus.etcdraft=debug:info}. Fabric's logger names map to Ordo's packages by prefixing
 * {@code io.ordo.}; a level applies to a logger and everything below it.
 *
 * @param spec the text as given
 */
public record LogSpec(String spec, Level defaultLevel, Map<String, Level> loggers) {
  public static final String PACKAGE_PREFIX = "io.ordo.";
  private static final Pattern LOGGER = Pattern.compile("[A-Za-z0-9_.-]+");

  public LogSpec {
    loggers = Map.copyOf(loggers);
  }

  /**
   * @throws IllegalArgumentException naming the spec and the bad segment
   */
  public static LogSpec parse(String spec) {
    Level defaultLevel = Level.INFO;
    Map<String, Level> loggers = new LinkedHashMap<>();
    for (String segment : spec.split(":", -1)) {
      String[] fields = segment.split("=", -1);
      if (fields.length == 1) {
        defaultLevel = level(spec, segment, fields[0]);
      } else if (fields.length == 2 && !fields[0].isEmpty()) {
        Level level = level(spec, segment, fields[1]);
        for (String name : fields[0].split(",", -1)) {
          if (!LOGGER.matcher(name).matches()) {
            throw bad(spec, segment);
          }
          loggers.put(name, level);
        }
      } else {
        throw bad(spec, segment);
      }
    }
    return new LogSpec(spec, defaultLevel, loggers);
  }

  private static Level level(String spec, String segment, String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "debug" -> Level.DEBUG;
      case "info" -> Level.INFO;
      case "warn", "warning" -> Level.WARN;
      case "error", "dpanic", "panic", "fatal" -> Level.ERROR;
      default -> throw bad(spec, segment);
    };
  }

  private static IllegalArgumentException bad(String spec, String segment) {
    return new IllegalArgumentException(
        "invalid logging specification '" + spec + "': bad segment '" + segment + "'");
  }

  /** The logback logger a Fabric logger name stands for. */
  public static String loggerName(String fabricName) {
    return PACKAGE_PREFIX + fabricName;
  }

  /** Sets the levels: root gets the default, named loggers theirs; {@code previous}'s are reset. */
  void applyTo(LoggerContext context, LogSpec previous) {
    if (previous != null) {
      previous.loggers.keySet().forEach(n -> context.getLogger(loggerName(n)).setLevel(null));
    }
    context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(defaultLevel);
    loggers.forEach((n, l) -> context.getLogger(loggerName(n)).setLevel(l));
  }
}

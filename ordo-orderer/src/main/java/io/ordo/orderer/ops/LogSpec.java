package io.ordo.orderer.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Fabric's logging spec ({@code FABRIC_LOGGING_SPEC}, {@code /logspec}): colon-separated segments,
 * each a level (the default) or {@code logger[,logger...]=level}; e.g. {@code
 * orderer.consensus.etcdraft=debug:info}. As in Fabric a logger's level is that of the longest spec
 * name that is the logger or one of its ancestors (a name ending in a dot is that logger only),
 * else the default. Logger names are Fabric's ({@link FabricLoggers}: {@code
 * orderer.common.cluster} reaches the cluster and replication packages), or Ordo's packages without
 * {@code io.ordo.} ({@code orderer.multichannel}, {@code raft}). Levels as Fabric names them:
 * payload (logback's trace), debug, info (and notice), warn or warning, error (and critical), and
 * dpanic, panic, fatal (error: Ordo never panics).
 *
 * @param spec the text as given
 */
public record LogSpec(String spec, Level defaultLevel, Map<String, Level> loggers) {
  public static final String PACKAGE_PREFIX = "io.ordo.";

  /** Fabric's valid logger names, checked without one trailing dot. */
  private static final Pattern LOGGER = Pattern.compile("[A-Za-z0-9_#:-]+(\\.[A-Za-z0-9_#:-]+)*");

  public LogSpec {
    loggers = Map.copyOf(loggers);
  }

  /**
   * @throws IllegalArgumentException with Fabric's words, naming the spec and the bad segment
   */
  public static LogSpec parse(String spec) {
    Level defaultLevel = Level.INFO;
    Map<String, Level> loggers = new LinkedHashMap<>();
    for (String segment : spec.split(":", -1)) {
      String[] fields = segment.split("=", -1);
      if (fields.length == 1) {
        defaultLevel = segment.isEmpty() ? Level.INFO : level(spec, segment, fields[0]);
      } else if (fields.length == 2) {
        if (fields[0].isEmpty()) {
          throw new IllegalArgumentException(
              "invalid logging specification '"
                  + spec
                  + "': no logger specified in segment '"
                  + segment
                  + "'");
        }
        Level level = level(spec, segment, fields[1]);
        for (String name : fields[0].split(",", -1)) {
          String bare = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
          if (!LOGGER.matcher(bare).matches()) {
            throw new IllegalArgumentException(
                "invalid logging specification '" + spec + "': bad logger name '" + name + "'");
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
    return switch (name) {
      case "payload", "PAYLOAD" -> Level.TRACE;
      case "debug", "DEBUG" -> Level.DEBUG;
      case "info", "INFO", "notice", "NOTICE" -> Level.INFO;
      case "warn", "WARN", "warning", "WARNING" -> Level.WARN;
      case "error",
          "ERROR",
          "critical",
          "CRITICAL",
          "dpanic",
          "DPANIC",
          "panic",
          "PANIC",
          "fatal",
          "FATAL" ->
          Level.ERROR;
      default -> throw bad(spec, segment);
    };
  }

  private static IllegalArgumentException bad(String spec, String segment) {
    return new IllegalArgumentException(
        "invalid logging specification '" + spec + "': bad segment '" + segment + "'");
  }

  /** Fabric's level of a logger: the longest spec name that is it or an ancestor, else default. */
  public Level levelOf(String fabricName) {
    Level exact = loggers.get(fabricName + ".");
    if (exact != null) {
      return exact;
    }
    for (String name = fabricName; !name.isEmpty(); ) {
      Level l = loggers.get(name);
      if (l != null) {
        return l;
      }
      int dot = name.lastIndexOf('.');
      name = dot < 0 ? "" : name.substring(0, dot);
    }
    return defaultLevel;
  }

  /** The lowest level any logger is enabled at. */
  public Level minimum() {
    Level min = defaultLevel;
    for (Level l : loggers.values()) {
      if (!l.isGreaterOrEqual(min)) {
        min = l;
      }
    }
    return min;
  }

  /**
   * Sets logback's levels: the root gets the default, each of Ordo's packages with a Fabric name
   * the level that name has, and a spec name that is an Ordo package ({@code io.ordo.} + name) its
   * own; {@code previous}'s are reset first.
   */
  void applyTo(LoggerContext context, LogSpec previous) {
    if (previous != null) {
      previous.loggers.keySet().forEach(n -> ordoLogger(context, n).setLevel(null));
    }
    context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(defaultLevel);
    for (FabricLoggers.Entry e : FabricLoggers.ENTRIES) {
      context.getLogger(e.logger()).setLevel(levelOf(e.fabricName()));
    }
    loggers.forEach((n, l) -> ordoLogger(context, n).setLevel(l));
  }

  private static Logger ordoLogger(LoggerContext context, String name) {
    String bare = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    return context.getLogger(PACKAGE_PREFIX + bare);
  }
}

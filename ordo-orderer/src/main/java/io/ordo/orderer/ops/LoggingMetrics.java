package io.ordo.orderer.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.spi.FilterReply;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Fabric's {@code logging_entries_checked{level}} (log calls at or above the lowest level any
 * logger is enabled at, which Fabric's core checks against the logger's own level) and {@code
 * logging_entries_written{level}} (lines that passed their logger's level and were written). The
 * logging of a JVM is one: nodes started in one JVM (tests) each count every line of it.
 */
public final class LoggingMetrics implements AutoCloseable {
  private final MeterRegistry registry;
  private final LoggerContext context;
  private final Map<String, Counter> checked = new ConcurrentHashMap<>();
  private final Map<String, Counter> written = new ConcurrentHashMap<>();
  private final Checks checks = new Checks();
  private final Writes writes = new Writes();
  private final LevelWatch watch = new LevelWatch();
  private volatile Level lowestEnabled;

  private LoggingMetrics(MeterRegistry registry, LoggerContext context) {
    this.registry = registry;
    this.context = context;
    this.lowestEnabled = lowestEnabled();
  }

  /** Counts this JVM's log lines in {@code registry} until closed. */
  public static LoggingMetrics attach(MeterRegistry registry) {
    LoggingMetrics m =
        new LoggingMetrics(registry, (LoggerContext) LoggerFactory.getILoggerFactory());
    m.checks.setContext(m.context);
    m.checks.start();
    m.context.addTurboFilter(m.checks);
    m.writes.setContext(m.context);
    m.writes.setName("fabric-metrics");
    m.writes.start();
    m.context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(m.writes);
    m.context.addListener(m.watch);
    return m;
  }

  @Override
  public void close() {
    context.removeListener(watch);
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(writes);
    context.getTurboFilterList().remove(checks);
    writes.stop();
    checks.stop();
  }

  private Level lowestEnabled() {
    Level lowest = Level.OFF;
    for (Logger l : context.getLoggerList()) {
      Level level = l.getLevel();
      if (level != null && !level.isGreaterOrEqual(lowest)) {
        lowest = level;
      }
    }
    return lowest;
  }

  private Counter counter(Map<String, Counter> counters, String name, String help, Level level) {
    String label = label(level);
    return counters.computeIfAbsent(
        label, l -> Counter.builder(name).description(help).tag("level", l).register(registry));
  }

  /** Zap's names of the levels. */
  private static String label(Level level) {
    return switch (level.toInt()) {
      case Level.TRACE_INT, Level.DEBUG_INT -> "debug";
      case Level.INFO_INT -> "info";
      case Level.WARN_INT -> "warn";
      default -> "error";
    };
  }

  /**
   * Sees every log call; {@code isXxxEnabled()} checks come without a message and are not counted.
   */
  private final class Checks extends TurboFilter {
    @Override
    public FilterReply decide(
        Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
      if (format != null && level.isGreaterOrEqual(lowestEnabled)) {
        counter(
                checked,
                "logging_entries_checked",
                "Number of log entries checked against the active logging level",
                level)
            .increment();
      }
      return FilterReply.NEUTRAL;
    }
  }

  /** On the root logger: sees every line that passed its logger's level. */
  private final class Writes extends AppenderBase<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent event) {
      counter(
              written,
              "logging_entries_written",
              "Number of log entries that are written",
              event.getLevel())
          .increment();
    }
  }

  /** Keeps the lowest enabled level as levels change. */
  private final class LevelWatch implements LoggerContextListener {
    @Override
    public boolean isResetResistant() {
      return true;
    }

    @Override
    public void onStart(LoggerContext context) {}

    @Override
    public void onReset(LoggerContext context) {
      lowestEnabled = lowestEnabled();
    }

    @Override
    public void onStop(LoggerContext context) {}

    @Override
    public void onLevelChange(Logger logger, Level level) {
      lowestEnabled = lowestEnabled();
    }
  }
}

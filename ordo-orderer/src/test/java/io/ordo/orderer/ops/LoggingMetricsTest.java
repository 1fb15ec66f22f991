package io.ordo.orderer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** logging_entries_checked and logging_entries_written, by level as Fabric names them. */
class LoggingMetricsTest {
  private static final String NAME = "io.ordo.orderer.ops.LoggingMetricsTest.probe";
  private static final Logger PROBE = LoggerFactory.getLogger(NAME);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ch.qos.logback.classic.Logger probe =
      ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(NAME);
  private LoggingMetrics metrics;

  @AfterEach
  void detach() {
    metrics.close();
    probe.setLevel(null);
  }

  @Test
  void linesAreCountedWhenCheckedAndWhenWrittenUnderZapsLevelNames() {
    probe.setLevel(Level.INFO);
    metrics = LoggingMetrics.attach(registry);

    PROBE.info("one");
    PROBE.warn("two");
    PROBE.error("three");
    PROBE.debug("below every logger's level: not even checked");
    PROBE.isInfoEnabled(); // a level check, not a line

    assertThat(count("logging_entries_written", "info")).isEqualTo(1);
    assertThat(count("logging_entries_written", "warn")).isEqualTo(1);
    assertThat(count("logging_entries_written", "error")).isEqualTo(1);
    assertThat(count("logging_entries_checked", "info")).isEqualTo(1);
    assertThat(count("logging_entries_checked", "debug")).isZero();
  }

  @Test
  void aLineBelowItsLoggersLevelButAboveAnothersIsCheckedNotWritten() {
    probe.setLevel(Level.WARN);
    metrics = LoggingMetrics.attach(registry);
    ch.qos.logback.classic.Logger chatty =
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(NAME + ".chatty");
    chatty.setLevel(Level.DEBUG);
    try {
      PROBE.debug("checked against the lowest level, refused by its own");

      assertThat(count("logging_entries_checked", "debug")).isEqualTo(1);
      assertThat(count("logging_entries_written", "debug")).isZero();
    } finally {
      chatty.setLevel(null);
    }
  }

  private double count(String name, String level) {
    var c = registry.find(name).tag("level", level).counter();
    return c == null ? 0 : c.count();
  }
}

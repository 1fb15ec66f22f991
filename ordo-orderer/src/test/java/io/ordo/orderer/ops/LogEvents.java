package io.ordo.orderer.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.time.Instant;
import org.slf4j.event.KeyValuePair;

/** Logging events as logback makes them, for the layouts' tests. */
final class LogEvents {
  static final Instant NOON = Instant.parse("2024-01-01T12:00:00.123456789Z");
  private static final LoggerContext CONTEXT = new LoggerContext();

  private LogEvents() {}

  static LoggingEvent event(
      String logger, Level level, String message, Throwable thrown, Object... fields) {
    LoggingEvent e =
        new LoggingEvent(
            LogEvents.class.getName(), CONTEXT.getLogger(logger), level, message, thrown, null);
    e.setInstant(NOON);
    for (int i = 0; i < fields.length; i += 2) {
      e.addKeyValuePair(new KeyValuePair((String) fields[i], fields[i + 1]));
    }
    return e;
  }
}

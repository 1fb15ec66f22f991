package io.ordo.orderer.testing;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;

/**
 * Gives the test JVM its own logging back (logback-test.xml) after a test ran a node's main, which
 * sets up Fabric's logging for the whole JVM.
 */
public final class LogbackDefaults {
  private LogbackDefaults() {}

  public static void restore() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    try {
      new ContextInitializer(context).autoConfig();
    } catch (JoranException e) {
      throw new IllegalStateException("cannot read the test logging configuration again", e);
    }
  }
}

package io.ordo.orderer.ops;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * A node's logging as Fabric's orderer sets it up before anything else: {@code FABRIC_LOGGING_SPEC}
 * (levels, {@link LogSpec}; {@code info} when unset) and {@code FABRIC_LOGGING_FORMAT} ({@code
 * json}, {@code logfmt}, or a console format, {@link ConsoleLogLayout}; Fabric's default when
 * unset), every line to standard error. Done first when the node starts, so that what it does
 * before its operations endpoint listens (opening ledgers, replaying WALs) is logged at the levels
 * the operator asked for.
 */
public final class FabricLogging {
  public static final String SPEC_VARIABLE = "FABRIC_LOGGING_SPEC";
  public static final String FORMAT_VARIABLE = "FABRIC_LOGGING_FORMAT";
  static final String APPENDER = "fabric";

  private FabricLogging() {}

  /**
   * Sends every log line to standard error in the format and at the levels the environment asks
   * for, replacing the appenders the logging configuration had.
   *
   * @return the spec now in force
   * @throws IllegalArgumentException naming the bad spec or format, in Fabric's words
   */
  public static LogSpec configure(Map<String, String> env) {
    LogSpec spec = LogSpec.parse(valueOr(env, SPEC_VARIABLE, "info"));
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Layout<ILoggingEvent> layout = layout(valueOr(env, FORMAT_VARIABLE, ""));
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.setCharset(StandardCharsets.UTF_8);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName(APPENDER);
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.addAppender(stderr);
    spec.applyTo(context, null);
    return spec;
  }

  /**
   * The layout {@code FABRIC_LOGGING_FORMAT} names: {@code json}, {@code logfmt}, else a console
   * format (Fabric's default when empty).
   */
  static Layout<ILoggingEvent> layout(String format) {
    return switch (format) {
      case "json" -> new JsonLogLayout();
      case "logfmt" -> new LogfmtLogLayout();
      case "" -> ConsoleLogLayout.parse(ConsoleLogLayout.DEFAULT_FORMAT);
      default -> ConsoleLogLayout.parse(format);
    };
  }

  private static String valueOr(Map<String, String> env, String name, String otherwise) {
    String v = env.get(name);
    return v == null || v.isEmpty() ? otherwise : v;
  }
}

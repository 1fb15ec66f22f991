package io.ordo.orderer.ops;

import org.slf4j.Logger;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * A logger's lines about one channel, and one raft node of it, carrying them as fields ({@code
 * channel=mychannel node=2}) as Fabric's loggers do with {@code With("channel", ..., "node", ...)}:
 * the log format puts them after the message, or as JSON fields, rather than inside the text. A
 * throwable after the message's arguments is logged with its stack, as SLF4J does.
 */
public final class ChannelLog {
  private final Logger log;
  private final String channel;
  private final Long node;

  private ChannelLog(Logger log, String channel, Long node) {
    this.log = log;
    this.channel = channel;
    this.node = node;
  }

  public static ChannelLog of(Logger log, String channel) {
    return new ChannelLog(log, channel, null);
  }

  public static ChannelLog of(Logger log, String channel, long node) {
    return new ChannelLog(log, channel, node);
  }

  public boolean isDebugEnabled() {
    return log.isDebugEnabled();
  }

  public void trace(String format, Object... arguments) {
    if (log.isTraceEnabled()) {
      fields(log.atTrace()).log(format, arguments);
    }
  }

  public void debug(String format, Object... arguments) {
    if (log.isDebugEnabled()) {
      fields(log.atDebug()).log(format, arguments);
    }
  }

  public void info(String format, Object... arguments) {
    if (log.isInfoEnabled()) {
      fields(log.atInfo()).log(format, arguments);
    }
  }

  public void warn(String format, Object... arguments) {
    if (log.isWarnEnabled()) {
      fields(log.atWarn()).log(format, arguments);
    }
  }

  public void error(String format, Object... arguments) {
    if (log.isErrorEnabled()) {
      fields(log.atError()).log(format, arguments);
    }
  }

  private LoggingEventBuilder fields(LoggingEventBuilder event) {
    event.addKeyValue("channel", channel);
    if (node != null) {
      event.addKeyValue("node", node);
    }
    return event;
  }
}

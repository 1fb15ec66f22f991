package io.ordo.orderer.consensus.etcdraft;

import io.ordo.raft.RaftLogger;
import java.lang.System.Logger.Level;
import org.slf4j.Logger;

/** The raft core's log lines into SLF4J, prefixed with the channel and node they concern. */
final class Slf4jRaftLogger implements RaftLogger {
  private final Logger log;
  private final String prefix;

  Slf4jRaftLogger(Logger log, String channel, long raftId) {
    this.log = log;
    this.prefix = "[channel: " + channel + ", node: " + raftId + "] ";
  }

  @Override
  public boolean isEnabled(Level level) {
    return switch (level) {
      case ALL, TRACE -> log.isTraceEnabled();
      case DEBUG -> log.isDebugEnabled();
      case INFO -> log.isInfoEnabled();
      case WARNING -> log.isWarnEnabled();
      case ERROR -> log.isErrorEnabled();
      case OFF -> false;
    };
  }

  @Override
  public void log(Level level, String message) {
    switch (level) {
      case ALL, TRACE -> log.trace("{}{}", prefix, message);
      case DEBUG -> log.debug("{}{}", prefix, message);
      case INFO -> log.info("{}{}", prefix, message);
      case WARNING -> log.warn("{}{}", prefix, message);
      case ERROR -> log.error("{}{}", prefix, message);
      case OFF -> {}
    }
  }
}

package io.ordo.orderer.consensus.etcdraft;

import io.ordo.orderer.ops.ChannelLog;
import io.ordo.raft.RaftLogger;
import java.lang.System.Logger.Level;
import org.slf4j.Logger;

/**
 * The raft core's log lines into SLF4J with the channel and node they concern as fields, as
 * Fabric's etcdraft logs etcd raft's lines.
 */
final class Slf4jRaftLogger implements RaftLogger {
  private final Logger log;
  private final ChannelLog channelLog;

  Slf4jRaftLogger(Logger log, String channel, long raftId) {
    this.log = log;
    this.channelLog = ChannelLog.of(log, channel, raftId);
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
      case ALL, TRACE -> channelLog.trace("{}", message);
      case DEBUG -> channelLog.debug("{}", message);
      case INFO -> channelLog.info("{}", message);
      case WARNING -> channelLog.warn("{}", message);
      case ERROR -> channelLog.error("{}", message);
      case OFF -> {}
    }
  }
}

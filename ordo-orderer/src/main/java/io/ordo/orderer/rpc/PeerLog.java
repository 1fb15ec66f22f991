package io.ordo.orderer.rpc;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Warnings about what a network peer sent, at most one line per peer host and interval: anyone can
 * reach the client port, and a line per bad request would let them fill the disk. The lines held
 * back are counted in the next one. Thread-safe; remembers a bounded number of peers.
 */
public final class PeerLog {
  private static final int MAX_PEERS = 4096;

  private final Logger log;
  private final long intervalNanos;
  private final Map<String, Window> peers =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
          return size() > MAX_PEERS;
        }
      };

  private static final class Window {
    long startNanos;
    long suppressed;
  }

  public PeerLog(Logger log, Duration interval) {
    this.log = log;
    this.intervalNanos = interval.toNanos();
  }

  /**
   * Logs {@code message} at WARN for {@code peer} ("host:port" or a host), unless a line for the
   * same host was logged within the interval.
   */
  public void warn(String peer, String message) {
    warn(peer, null, message);
  }

  /** As {@link #warn(String, String)}, with the channel as the line's {@code channel} field. */
  public void warn(String peer, String channel, String message) {
    if (!log.isWarnEnabled()) {
      return;
    }
    String host = host(peer);
    long now = System.nanoTime();
    long suppressed;
    synchronized (peers) {
      Window w = peers.get(host);
      if (w != null && now - w.startNanos < intervalNanos) {
        w.suppressed++;
        return;
      }
      if (w == null) {
        w = new Window();
        peers.put(host, w);
      }
      suppressed = w.suppressed;
      w.startNanos = now;
      w.suppressed = 0;
    }
    LoggingEventBuilder line = log.atWarn();
    if (channel != null) {
      line.addKeyValue("channel", channel);
    }
    if (suppressed > 0) {
      line.log("{} (and {} more from {} not logged)", message, suppressed, host);
    } else {
      line.log(message);
    }
  }

  /** The host of a socket address as gRPC prints it ("host/ip:port", "/[v6]:port"). */
  static String host(String peer) {
    if (peer == null) {
      return "unknown";
    }
    int colon = peer.lastIndexOf(':');
    if (colon > 0 && colon < peer.length() - 1) {
      String port = peer.substring(colon + 1);
      if (port.chars().allMatch(Character::isDigit)) {
        return peer.substring(0, colon);
      }
    }
    return peer;
  }
}

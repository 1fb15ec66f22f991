package io.ordo.raft;

import java.lang.System.Logger.Level;
import java.util.function.Supplier;

/**
 * Where the raft core reports what it does. The core has no logging framework of its own: the
 * application injects one (the orderer bridges it to SLF4J with channel and node context).
 */
public interface RaftLogger {
  /** Drops everything. */
  RaftLogger NONE =
      new RaftLogger() {
        @Override
        public boolean isEnabled(Level level) {
          return false;
        }

        @Override
        public void log(Level level, String message) {}
      };

  boolean isEnabled(Level level);

  void log(Level level, String message);

  default void debug(Supplier<String> message) {
    if (isEnabled(Level.DEBUG)) {
      log(Level.DEBUG, message.get());
    }
  }

  default void info(Supplier<String> message) {
    if (isEnabled(Level.INFO)) {
      log(Level.INFO, message.get());
    }
  }

  default void warn(Supplier<String> message) {
    if (isEnabled(Level.WARNING)) {
      log(Level.WARNING, message.get());
    }
  }

  default void error(Supplier<String> message) {
    if (isEnabled(Level.ERROR)) {
      log(Level.ERROR, message.get());
    }
  }

  /** A logger over {@link System.Logger}, for tools and tests. */
  static RaftLogger system(String name) {
    System.Logger l = System.getLogger(name);
    return new RaftLogger() {
      @Override
      public boolean isEnabled(Level level) {
        return l.isLoggable(level);
      }

      @Override
      public void log(Level level, String message) {
        l.log(level, message);
      }
    };
  }
}

package io.ordo.orderer.expiry;

import java.time.Instant;
import java.util.Optional;

/** How long the consenters of a channel keep valid certificates, as leadership decisions ask. */
public interface ConsenterLifetimes {
  /** Nothing known: no consenter is expiring. */
  ConsenterLifetimes NONE =
      new ConsenterLifetimes() {
        @Override
        public Optional<Instant> notAfter(String channel, long id) {
          return Optional.empty();
        }

        @Override
        public boolean expiresSoon(String channel, long id) {
          return false;
        }
      };

  /**
   * When the first of consenter {@code id}'s certificates on {@code channel} expires (for this node
   * its enrollment certificate counts too).
   */
  Optional<Instant> notAfter(String channel, long id);

  /** Whether that is within the warning threshold (or past). */
  boolean expiresSoon(String channel, long id);
}

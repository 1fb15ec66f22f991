package io.ordo.orderer.config;

import java.time.Duration;

/**
 * Broadcast rate limiting ({@code General.Throttling}), acted on by {@code
 * io.ordo.orderer.broadcast.Throttling}.
 *
 * @param rate transactions per second shared by all mutual-TLS clients; 0 turns throttling off
 * @param inactivityTimeout how long a client or org that was not held back keeps its share; 0 is
 *     Fabric's default, 5 s, as Fabric's orderer sets it
 */
public record ThrottlingConfig(long rate, Duration inactivityTimeout) {
  public ThrottlingConfig {
    if (inactivityTimeout.isZero()) {
      inactivityTimeout = Duration.ofSeconds(5);
    }
  }
}

package io.ordo.orderer.expiry;

import java.time.Duration;
import java.time.Instant;

/**
 * General.Cluster.CertExpirationWarningThreshold, the one place that says whether a certificate is
 * fine, close to expiry or expired.
 *
 * @param warning how long before its expiry a certificate is warned of
 */
public record ExpiryThreshold(Duration warning) {
  /** Fabric's default: a week. */
  public static final ExpiryThreshold FABRIC_DEFAULT = new ExpiryThreshold(Duration.ofDays(7));

  public ExpiryThreshold {
    if (warning.isNegative()) {
      throw new IllegalArgumentException("a negative warning threshold: " + warning);
    }
  }

  /** Where a certificate stands. */
  public enum State {
    OK,
    /** Valid, but expiring within the threshold. */
    WARNING,
    /** No longer valid. */
    EXPIRED
  }

  /** The state at {@code now} of a certificate valid until {@code notAfter}. */
  public State state(Instant notAfter, Instant now) {
    // a certificate is valid through its notAfter instant, as TLS checks it
    if (now.isAfter(notAfter)) {
      return State.EXPIRED;
    }
    return Duration.between(now, notAfter).compareTo(warning) <= 0 ? State.WARNING : State.OK;
  }
}

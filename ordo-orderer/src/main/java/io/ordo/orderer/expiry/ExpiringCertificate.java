package io.ordo.orderer.expiry;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One certificate that will expire, and whose it is.
 *
 * @param channel the channel whose consenter set names it (the enrollment certificate is listed
 *     under each channel this node is a consenter of)
 * @param consenterId the consenter's raft ID in that channel
 * @param consenter the consenter's cluster endpoint, host:port as the channel config lists it
 * @param self whether the consenter is this node
 * @param subject the certificate's subject, as RFC 2253 writes it
 * @param notAfter the last instant it is valid
 */
public record ExpiringCertificate(
    String channel,
    long consenterId,
    String consenter,
    boolean self,
    CertificateKind kind,
    String subject,
    Instant notAfter) {

  /** How long it has left at {@code now}; negative once expired. */
  public Duration left(Instant now) {
    return Duration.between(now, notAfter);
  }

  /** Days to expiry at {@code now}, with the fraction (negative once expired). */
  public double daysLeft(Instant now) {
    return left(now).toMillis() / (double) Duration.ofDays(1).toMillis();
  }

  /**
   * One line naming it: {@code channel mychannel: consenter 2 (orderer2.example.com:7050) server
   * TLS certificate CN=orderer2.example.com,... expires at 2025-01-01T00:00:00Z (in 3 d 4 h)}.
   */
  public String describe(Instant now) {
    Duration left = left(now);
    String when =
        left.isNegative()
            ? "expired at " + notAfter + " (" + human(left.negated()) + " ago)"
            : "expires at " + notAfter + " (in " + human(left) + ")";
    return "channel "
        + channel
        + ": consenter "
        + consenterId
        + " ("
        + consenter
        + (self ? ", this node" : "")
        + ") "
        + kind.words()
        + " certificate "
        + subject
        + " "
        + when;
  }

  /** A duration as an operator reads it: the two largest of days, hours, minutes, seconds. */
  static String human(Duration d) {
    long s = Math.max(0, d.truncatedTo(ChronoUnit.SECONDS).getSeconds());
    long days = s / 86_400;
    long hours = s % 86_400 / 3_600;
    long minutes = s % 3_600 / 60;
    long seconds = s % 60;
    if (days > 0) {
      return days + " d " + hours + " h";
    }
    if (hours > 0) {
      return hours + " h " + minutes + " min";
    }
    if (minutes > 0) {
      return minutes + " min " + seconds + " s";
    }
    return seconds + " s";
  }
}

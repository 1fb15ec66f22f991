package io.ordo.orderer.expiry;

import io.ordo.orderer.ops.ChannelLog;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WARN about each certificate inside the warning threshold (or expired): at the first check
 * after start, then once a day per certificate, naming channel, consenter, which certificate, its
 * subject and its expiry date. Fabric's orderer warns every few minutes from its cluster streams; a
 * line a day per certificate is enough to be seen and too few to be filtered out.
 */
public final class ExpiryWarnings implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ExpiryWarnings.class);

  /** How often a certificate inside the threshold is warned of again. */
  public static final Duration REPEAT = Duration.ofDays(1);

  /** How often the certificates are looked at again when nothing changed. */
  public static final Duration CHECK_INTERVAL = Duration.ofMinutes(1);

  private final CertificateExpiries expiries;

  /** Certificate (its description without times) to when it was last warned of. */
  private final Map<Key, Instant> warned = new HashMap<>();

  private final ScheduledExecutorService timer;

  private record Key(
      String channel, long consenterId, CertificateKind kind, String subject, Instant notAfter) {
    static Key of(ExpiringCertificate c) {
      return new Key(c.channel(), c.consenterId(), c.kind(), c.subject(), c.notAfter());
    }
  }

  private ExpiryWarnings(CertificateExpiries expiries, ScheduledExecutorService timer) {
    this.expiries = expiries;
    this.timer = timer;
  }

  /** Checks now, and every {@link #CHECK_INTERVAL} on a thread of its own. */
  public static ExpiryWarnings start(CertificateExpiries expiries) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("certificate-expiry").daemon().unstarted(r));
    ExpiryWarnings w = new ExpiryWarnings(expiries, timer);
    timer.scheduleWithFixedDelay(
        w::checkQuietly, 0, CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return w;
  }

  /** For tests: checks only when {@link #check} is called. */
  static ExpiryWarnings manual(CertificateExpiries expiries) {
    return new ExpiryWarnings(expiries, null);
  }

  /** Asks for a check soon on the checking thread (a chain's consenters changed). */
  public void changed() {
    if (timer != null && !timer.isShutdown()) {
      try {
        timer.execute(this::checkQuietly);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // the node is stopping: its chains halting are no news
      }
    }
  }

  private void checkQuietly() {
    try {
      check();
    } catch (RuntimeException e) {
      log.warn("checking certificate expiry failed: {}", e.toString());
    }
  }

  /**
   * Refreshes the certificates and warns of those inside the threshold that were not warned of in
   * the last day; returns what it warned of.
   */
  synchronized List<ExpiringCertificate> check() {
    expiries.refresh();
    Instant now = expiries.clock().instant();
    List<ExpiringCertificate> due =
        expiries.certificates().stream()
            .filter(c -> expiries.state(c) != ExpiryThreshold.State.OK)
            .toList();
    warned.keySet().retainAll(due.stream().map(Key::of).toList());
    List<ExpiringCertificate> told =
        due.stream()
            .filter(
                c -> {
                  Instant last = warned.get(Key.of(c));
                  return last == null || Duration.between(last, now).compareTo(REPEAT) >= 0;
                })
            .toList();
    for (ExpiringCertificate c : told) {
      warned.put(Key.of(c), now);
      boolean expired = expiries.state(c) == ExpiryThreshold.State.EXPIRED;
      ChannelLog.of(log, c.channel(), c.consenterId())
          .warn(
              "{}{}",
              c.describe(now),
              expired
                  ? ": replace it and update the channel's consenter entry"
                  : ", within General.Cluster.CertExpirationWarningThreshold "
                      + expiries.threshold().warning());
    }
    return told;
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}

package io.ordo.orderer.broadcast;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordo.fabric.crypto.KeyIdentifiers;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Broadcast throttling as Fabric v3.0's orderer does it ({@code General.Throttling}): with {@code
 * Rate} above 0, every envelope received on a stream whose client presented a TLS certificate
 * counts against two shared limiters of {@code Rate} transactions a second, one keyed by the
 * certificate's subject key identifier (the client) and one by its authority key identifier (the
 * organisation's CA), in that order. An envelope over budget is held until the next refill before
 * it is validated: the client is slowed, never refused or disconnected, and gets the answer it
 * would have got. A client without a certificate (TLS without client authentication) is not
 * throttled.
 *
 * <p>Certificates without a subject key identifier (cryptogen's leaves have none) all count as one
 * client, the empty key, as in Fabric; they still share by organisation.
 *
 * <p>Metrics (Ordo's own; Fabric has none for throttling): {@code broadcast_throttled_count} with
 * label {@code limiter} ("client" or "org"), the envelopes held back for a refill; {@code
 * broadcast_throttled_streams}, the streams holding one back now; {@code broadcast_throttle_keys}
 * with label {@code limiter}, how many clients or organisations share the rate now.
 */
public final class Throttling implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Throttling.class);
  private static final HexFormat HEX = HexFormat.of();

  private final SharedRateLimiter clients;
  private final SharedRateLimiter orgs;
  private final ScheduledExecutorService refill;
  private final AtomicInteger waiting = new AtomicInteger();

  private Throttling(int rate, Duration inactivityTimeout, MeterRegistry registry) {
    this.clients = limiter(rate, inactivityTimeout, registry, "client");
    this.orgs = limiter(rate, inactivityTimeout, registry, "org");
    Gauge.builder("broadcast_throttled_streams", waiting, AtomicInteger::get)
        .description("Broadcast streams holding an envelope back until the next budget refill.")
        .register(registry);
    this.refill =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "broadcast-throttle-refill");
              t.setDaemon(true);
              return t;
            });
    // Fabric waits a second after each refill, as a fixed delay does
    refill.scheduleWithFixedDelay(this::distribute, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * The throttling of {@code General.Throttling}, or null when {@code rate} is 0 (off).
   *
   * @param rate transactions a second shared by all mutual-TLS clients of this node
   */
  public static Throttling of(long rate, Duration inactivityTimeout, MeterRegistry registry) {
    if (rate <= 0) {
      return null;
    }
    LOG.info(
        "Broadcast throttling on: {} transactions a second shared by mutual-TLS clients,"
            + " inactivity timeout {}",
        rate,
        inactivityTimeout);
    return new Throttling((int) Math.min(rate, Integer.MAX_VALUE), inactivityTimeout, registry);
  }

  private SharedRateLimiter limiter(
      int rate, Duration inactivityTimeout, MeterRegistry registry, String name) {
    Counter held =
        Counter.builder("broadcast_throttled_count")
            .description("Envelopes held back until the next budget refill of their client or org.")
            .tag("limiter", name)
            .register(registry);
    SharedRateLimiter limiter =
        new SharedRateLimiter(
            rate,
            inactivityTimeout,
            System::nanoTime,
            started -> {
              if (started) {
                held.increment();
                waiting.incrementAndGet();
              } else {
                waiting.decrementAndGet();
              }
            });
    Gauge.builder("broadcast_throttle_keys", limiter, SharedRateLimiter::keys)
        .description("Clients or orgs sharing the throttling rate now.")
        .tag("limiter", name)
        .register(registry);
    return limiter;
  }

  private void distribute() {
    clients.distributeBudget();
    orgs.distributeBudget();
  }

  /** The keys of one client certificate. */
  record Keys(String client, String org) {}

  /** Fabric's keys: hex of the subject and of the authority key identifier, empty when absent. */
  static Keys keysOf(X509Certificate cert) {
    return new Keys(
        HEX.formatHex(KeyIdentifiers.subject(cert)), HEX.formatHex(KeyIdentifiers.authority(cert)));
  }

  /** Waits, if it must, until an envelope of {@code keys} may go on. */
  void limit(Keys keys) throws InterruptedException {
    clients.limitRate(keys.client());
    orgs.limitRate(keys.org());
  }

  @Override
  public void close() {
    refill.shutdownNow();
    clients.stop();
    orgs.stop();
  }
}

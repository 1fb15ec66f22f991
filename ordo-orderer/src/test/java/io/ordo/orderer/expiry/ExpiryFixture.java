package io.ordo.orderer.expiry;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordo.fabric.channelconfig.RaftConsenter;
import io.ordo.fabric.crypto.KeyPairs;
import io.ordo.fabric.crypto.Pem;
import io.ordo.orderer.testing.MutableClock;
import io.ordo.orderer.testing.TestOrg;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Consenters whose TLS certificates expire when a test says, issued by a test org's TLS CA, and a
 * tracker over them on a clock the test moves.
 */
final class ExpiryFixture {
  static final TestOrg ORG = new TestOrg("OrdererMSP");
  static final Instant START = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  final MutableClock clock = new MutableClock(START);
  final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  final Map<String, ConsenterSet> sets = new ConcurrentHashMap<>();
  final X509Certificate enrollment;
  final CertificateExpiries expiries;
  private final SecureRandom random = new SecureRandom();

  ExpiryFixture(Duration threshold, Duration enrollmentLife) {
    this.enrollment = tls("enrollment.example.com", enrollmentLife);
    this.expiries =
        new CertificateExpiries(
            () -> Map.copyOf(sets),
            Optional.of(enrollment),
            new ExpiryThreshold(threshold),
            clock,
            metrics);
  }

  /** A certificate from the org's TLS CA valid from an hour before the start for {@code life}. */
  X509Certificate tls(String host, Duration life) {
    return ORG.tlsCa.issue(
        host,
        List.of(),
        List.of(host),
        KeyPairs.p256(random).getPublic(),
        START.minus(Duration.ofHours(1)),
        START.plus(life));
  }

  /** A consenter at {@code host:7050} whose client and server certificates live {@code life}. */
  RaftConsenter consenter(String host, Duration life) {
    byte[] pem = Pem.encode(tls(host, life));
    return new RaftConsenter(host, 7050, pem, pem);
  }

  /** A consenter whose client and server certificates differ in life. */
  RaftConsenter consenter(String host, Duration clientLife, Duration serverLife) {
    return new RaftConsenter(
        host, 7050, Pem.encode(tls(host, clientLife)), Pem.encode(tls(host, serverLife)));
  }

  void channel(String channel, long self, Map<Long, RaftConsenter> consenters) {
    sets.put(channel, new ConsenterSet(self, new TreeMap<>(consenters)));
  }
}

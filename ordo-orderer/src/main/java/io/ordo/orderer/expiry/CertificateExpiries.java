package io.ordo.orderer.expiry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordo.fabric.channelconfig.RaftConsenter;
import io.ordo.fabric.crypto.Pem;
import io.ordo.orderer.ops.HealthChecker;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * When the certificates this node depends on expire: the client and server TLS certificates of
 * every consenter of every channel this node is a consenter of, and its own enrollment certificate
 * (listed under each of those channels). Refreshed when a chain's consenters change (a config
 * block, a rotation, a conf change applied) and by {@link ExpiryWarnings}' periodic check.
 *
 * <p>It is the node's one view of them: the gauge {@code consensus_etcdraft_cert_expiry_days
 * {channel, consenter, kind}} (days to expiry, fractional, negative once expired; Ordo's own,
 * Fabric has none), the {@code /healthz} check (a warning inside the threshold or for another
 * consenter's expired certificate, a failed check once this node's own expired), the admin API's
 * detail and the daily warnings.
 */
public final class CertificateExpiries implements HealthChecker, ConsenterLifetimes {
  /** The gauge's name. */
  public static final String METRIC = "consensus_etcdraft_cert_expiry_days";

  private final ConsenterSet.Source source;
  private final Optional<X509Certificate> enrollment;
  private final ExpiryThreshold threshold;
  private final Clock clock;
  private final MeterRegistry metrics;

  /** PEM bytes (as a string) to the certificate they encode, for the certificates in use. */
  private final Map<String, Optional<X509Certificate>> parsed = new ConcurrentHashMap<>();

  /** Gauge key (channel, consenter, kind) to the notAfter it reads, and the gauge. */
  private final Map<List<String>, Instant> gaugeValues = new ConcurrentHashMap<>();

  private final Map<List<String>, Meter> gauges = new HashMap<>();
  private volatile List<ExpiringCertificate> certificates = List.of();

  /**
   * @param enrollment this node's enrollment certificate, empty when it is not to be tracked
   */
  public CertificateExpiries(
      ConsenterSet.Source source,
      Optional<X509Certificate> enrollment,
      ExpiryThreshold threshold,
      Clock clock,
      MeterRegistry metrics) {
    this.source = source;
    this.enrollment = enrollment;
    this.threshold = threshold;
    this.clock = clock;
    this.metrics = metrics;
  }

  public ExpiryThreshold threshold() {
    return threshold;
  }

  public Clock clock() {
    return clock;
  }

  /** Reads the consenter sets again; the gauges follow (series of gone consenters removed). */
  public synchronized void refresh() {
    List<ExpiringCertificate> out = new ArrayList<>();
    Map<String, Optional<X509Certificate>> inUse = new HashMap<>();
    source
        .current()
        .forEach(
            (channel, set) -> {
              set.consenters()
                  .forEach(
                      (id, c) -> {
                        for (CertificateKind kind :
                            List.of(CertificateKind.CLIENT_TLS, CertificateKind.SERVER_TLS)) {
                          add(out, inUse, channel, id, c, set.self() == id, kind);
                        }
                      });
              RaftConsenter me = set.consenters().get(set.self());
              enrollment.ifPresent(
                  cert ->
                      out.add(
                          of(
                              channel,
                              set.self(),
                              me == null ? "" : me.endpoint(),
                              true,
                              CertificateKind.ENROLLMENT,
                              cert)));
            });
    parsed.keySet().retainAll(inUse.keySet());
    parsed.putAll(inUse);
    out.sort(
        java.util.Comparator.comparing(ExpiringCertificate::channel)
            .thenComparingLong(ExpiringCertificate::consenterId)
            .thenComparing(ExpiringCertificate::kind));
    certificates = List.copyOf(out);
    updateGauges(out);
  }

  private void add(
      List<ExpiringCertificate> out,
      Map<String, Optional<X509Certificate>> inUse,
      String channel,
      long id,
      RaftConsenter c,
      boolean self,
      CertificateKind kind) {
    byte[] pem = kind == CertificateKind.CLIENT_TLS ? c.clientTlsCert() : c.serverTlsCert();
    String key = new String(pem, java.nio.charset.StandardCharsets.ISO_8859_1);
    Optional<X509Certificate> cert = parsed.get(key);
    if (cert == null) {
      cert = parse(pem);
    }
    inUse.put(key, cert);
    cert.ifPresent(x -> out.add(of(channel, id, c.endpoint(), self, kind, x)));
  }

  private static Optional<X509Certificate> parse(byte[] pem) {
    try {
      return Optional.of(Pem.certificate(pem));
    } catch (RuntimeException e) {
      // a config whose certificate does not parse was refused before it got here; nothing to track
      return Optional.empty();
    }
  }

  private static ExpiringCertificate of(
      String channel,
      long id,
      String endpoint,
      boolean self,
      CertificateKind kind,
      X509Certificate cert) {
    return new ExpiringCertificate(
        channel,
        id,
        endpoint,
        self,
        kind,
        cert.getSubjectX500Principal().getName(),
        cert.getNotAfter().toInstant());
  }

  private void updateGauges(List<ExpiringCertificate> now) {
    Map<List<String>, Instant> next = new HashMap<>();
    for (ExpiringCertificate c : now) {
      next.put(List.of(c.channel(), c.consenter(), c.kind().label()), c.notAfter());
    }
    gaugeValues.putAll(next);
    for (List<String> key : List.copyOf(gauges.keySet())) {
      if (!next.containsKey(key)) {
        metrics.remove(gauges.remove(key));
        gaugeValues.remove(key);
      }
    }
    for (List<String> key : next.keySet()) {
      gauges.computeIfAbsent(
          key,
          k ->
              Gauge.builder(METRIC, () -> daysLeft(k))
                  .description(
                      "Days until the certificate expires (negative once expired); kind is"
                          + " client_tls, server_tls or enrollment.")
                  .tag("channel", k.get(0))
                  .tag("consenter", k.get(1))
                  .tag("kind", k.get(2))
                  .register(metrics));
    }
  }

  private double daysLeft(List<String> key) {
    Instant notAfter = gaugeValues.get(key);
    return notAfter == null
        ? Double.NaN
        : java.time.Duration.between(clock.instant(), notAfter).toMillis() / 86_400_000.0;
  }

  /** Every tracked certificate, by channel, consenter ID and kind. */
  public List<ExpiringCertificate> certificates() {
    return certificates;
  }

  /** The certificates of one channel. */
  public List<ExpiringCertificate> certificates(String channel) {
    return certificates.stream().filter(c -> c.channel().equals(channel)).toList();
  }

  /** Those in {@code state} now. */
  public List<ExpiringCertificate> in(ExpiryThreshold.State state) {
    Instant now = clock.instant();
    return certificates.stream().filter(c -> threshold.state(c.notAfter(), now) == state).toList();
  }

  /** Where {@code c} stands now. */
  public ExpiryThreshold.State state(ExpiringCertificate c) {
    return threshold.state(c.notAfter(), clock.instant());
  }

  /**
   * When the certificates of consenter {@code id} of {@code channel} stop being valid: the earliest
   * notAfter of its TLS certificates, and for this node of its enrollment certificate too.
   */
  @Override
  public Optional<Instant> notAfter(String channel, long id) {
    return certificates.stream()
        .filter(c -> c.channel().equals(channel) && c.consenterId() == id)
        .map(ExpiringCertificate::notAfter)
        .min(Instant::compareTo);
  }

  @Override
  public boolean expiresSoon(String channel, long id) {
    return notAfter(channel, id)
        .map(t -> threshold.state(t, clock.instant()) != ExpiryThreshold.State.OK)
        .orElse(false);
  }

  /**
   * This node's own expired certificates: a failed check, each named with its expiry date. Another
   * consenter's expired certificate is a warning only: failing every node's check for it would take
   * the whole ordering service out of its load balancers and readiness probes at once.
   */
  @Override
  public Optional<String> unhealthyReason() {
    return joined(
        in(ExpiryThreshold.State.EXPIRED).stream().filter(ExpiringCertificate::self).toList());
  }

  /**
   * Certificates inside the threshold, and other consenters' expired ones: a warning, the node
   * stays healthy.
   */
  @Override
  public Optional<String> warning() {
    List<ExpiringCertificate> certs = new java.util.ArrayList<>(in(ExpiryThreshold.State.WARNING));
    in(ExpiryThreshold.State.EXPIRED).stream().filter(c -> !c.self()).forEach(certs::add);
    return joined(certs)
        .map(
            s ->
                s
                    + " (within General.Cluster.CertExpirationWarningThreshold "
                    + threshold.warning()
                    + ")");
  }

  private Optional<String> joined(List<ExpiringCertificate> certs) {
    Instant now = clock.instant();
    String text = certs.stream().map(c -> c.describe(now)).collect(Collectors.joining("; "));
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  /** The gauge keys registered now, for tests. */
  Map<List<String>, Instant> gaugeKeys() {
    return Collections.unmodifiableMap(gaugeValues);
  }
}

package io.ordo.orderer.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Gauge;
import io.ordo.fabric.channelconfig.RaftConsenter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tracker: which certificates, their states at the threshold, the gauge and the health. */
class CertificateExpiriesTest {
  private static final Duration THRESHOLD = Duration.ofMinutes(10);

  private final ExpiryFixture f = new ExpiryFixture(THRESHOLD, Duration.ofDays(365));

  private double gauge(String channel, String consenter, String kind) {
    Gauge g =
        f.metrics
            .find(CertificateExpiries.METRIC)
            .tags("channel", channel, "consenter", consenter, "kind", kind)
            .gauge();
    assertThat(g).as("%s %s %s", channel, consenter, kind).isNotNull();
    return g.value();
  }

  @Test
  void everyConsentersClientAndServerCertificateAndTheNodesEnrollmentArePerChannel() {
    f.channel(
        "ch1",
        2,
        Map.of(
            1L, f.consenter("o1.example.com", Duration.ofDays(30)),
            2L, f.consenter("o2.example.com", Duration.ofDays(20), Duration.ofDays(40))));
    f.channel("ch2", 5, Map.of(5L, f.consenter("o2.example.com", Duration.ofDays(20))));
    f.expiries.refresh();

    List<ExpiringCertificate> ch1 = f.expiries.certificates("ch1");
    assertThat(ch1)
        .extracting(c -> c.consenterId() + "/" + c.kind().label() + "/" + c.self())
        .containsExactly(
            "1/client_tls/false",
            "1/server_tls/false",
            "2/client_tls/true",
            "2/server_tls/true",
            "2/enrollment/true");
    assertThat(ch1.getFirst().subject()).contains("CN=o1.example.com");
    assertThat(ch1.getFirst().consenter()).isEqualTo("o1.example.com:7050");
    assertThat(f.expiries.certificates("ch2")).hasSize(3);

    assertThat(gauge("ch1", "o1.example.com:7050", "server_tls")).isCloseTo(30, within(0.001));
    assertThat(gauge("ch1", "o2.example.com:7050", "client_tls")).isCloseTo(20, within(0.001));
    assertThat(gauge("ch1", "o2.example.com:7050", "server_tls")).isCloseTo(40, within(0.001));
    assertThat(gauge("ch2", "o2.example.com:7050", "enrollment")).isCloseTo(365, within(0.001));
    // a consenter's certificates count from the earliest, this node's with its enrollment's
    assertThat(f.expiries.notAfter("ch1", 2))
        .hasValue(ExpiryFixture.START.plus(Duration.ofDays(20)));
    assertThat(f.expiries.notAfter("ch1", 9)).isEmpty();
  }

  @Test
  void thisNodesOwnExpiredCertificateFailsTheCheck() {
    f.channel(
        "ch",
        1,
        Map.of(
            1L,
            f.consenter("o1.example.com", Duration.ofMinutes(15)),
            2L,
            f.consenter("o2.example.com", Duration.ofDays(90))));
    f.expiries.refresh();
    assertThat(f.expiries.unhealthyReason()).isEmpty();

    f.clock.advance(Duration.ofMinutes(15).plusSeconds(1));
    assertThat(f.expiries.unhealthyReason())
        .hasValueSatisfying(
            r ->
                assertThat(r)
                    .contains("consenter 1 (o1.example.com:7050, this node)")
                    .contains("expired at " + ExpiryFixture.START.plus(Duration.ofMinutes(15))));
  }

  @Test
  void aCertificateIsOkThenWarnedWithinTheThresholdThenExpiredAndTheGaugeFollows() {
    RaftConsenter shortLived = f.consenter("o1.example.com", Duration.ofMinutes(15));
    f.channel(
        "ch", 2, Map.of(1L, shortLived, 2L, f.consenter("o2.example.com", Duration.ofDays(90))));
    f.expiries.refresh();

    assertThat(f.expiries.unhealthyReason()).isEmpty();
    assertThat(f.expiries.warning()).isEmpty();
    assertThat(f.expiries.expiresSoon("ch", 1)).isFalse();
    assertThat(gauge("ch", "o1.example.com:7050", "client_tls"))
        .isCloseTo(15.0 / 1440, within(1e-6));

    // 4 min 59 s before the threshold: still fine; at it: a warning, the node healthy
    f.clock.advance(Duration.ofMinutes(4).plusSeconds(59));
    assertThat(f.expiries.warning()).isEmpty();
    f.clock.advance(Duration.ofSeconds(1));
    assertThat(f.expiries.unhealthyReason()).isEmpty();
    assertThat(f.expiries.warning())
        .hasValueSatisfying(
            w ->
                assertThat(w)
                    .contains(
                        "channel ch: consenter 1 (o1.example.com:7050) client TLS certificate")
                    .contains("CN=o1.example.com")
                    .contains("expires at " + ExpiryFixture.START.plus(Duration.ofMinutes(15)))
                    .contains("(in 10 min 0 s)")
                    .contains("server TLS certificate")
                    .contains("CertExpirationWarningThreshold PT10M")
                    .doesNotContain("o2.example.com"));
    assertThat(f.expiries.expiresSoon("ch", 1)).isTrue();
    assertThat(f.expiries.expiresSoon("ch", 2)).isFalse();
    assertThat(gauge("ch", "o1.example.com:7050", "client_tls"))
        .isCloseTo(10.0 / 1440, within(1e-6));

    // valid through its notAfter, expired a moment later: another consenter's, so a warning that
    // says so, this node healthy
    f.clock.advance(Duration.ofMinutes(10));
    f.clock.advance(Duration.ofSeconds(1));
    assertThat(f.expiries.unhealthyReason()).isEmpty();
    assertThat(f.expiries.warning())
        .hasValueSatisfying(
            r ->
                assertThat(r)
                    .contains("consenter 1 (o1.example.com:7050) client TLS certificate")
                    .contains("expired at " + ExpiryFixture.START.plus(Duration.ofMinutes(15)))
                    .contains("(1 s ago)"));
    assertThat(gauge("ch", "o1.example.com:7050", "server_tls")).isNegative();
  }

  @Test
  void aRotatedOrRemovedConsentersSeriesGoAndTheNewCertificatesAreTracked() {
    f.channel(
        "ch",
        1,
        Map.of(
            1L, f.consenter("o1.example.com", Duration.ofDays(90)),
            2L, f.consenter("o2.example.com", Duration.ofDays(2)),
            3L, f.consenter("o3.example.com", Duration.ofDays(90))));
    f.expiries.refresh();
    assertThat(gauge("ch", "o2.example.com:7050", "client_tls")).isCloseTo(2, within(0.001));

    // consenter 2's certificates rotated, consenter 3 removed
    f.channel(
        "ch",
        1,
        Map.of(
            1L, f.consenter("o1.example.com", Duration.ofDays(90)),
            2L, f.consenter("o2.example.com", Duration.ofDays(365))));
    f.expiries.refresh();
    assertThat(gauge("ch", "o2.example.com:7050", "client_tls")).isCloseTo(365, within(0.001));
    assertThat(
            f.metrics
                .find(CertificateExpiries.METRIC)
                .tag("consenter", "o3.example.com:7050")
                .gauges())
        .isEmpty();

    // the channel left: no series for it
    f.sets.remove("ch");
    f.expiries.refresh();
    assertThat(f.metrics.find(CertificateExpiries.METRIC).gauges()).isEmpty();
    assertThat(f.expiries.certificates()).isEmpty();
  }

  @Test
  void thisNodesEnrollmentCertificateCountsForItsLifetime() {
    ExpiryFixture g = new ExpiryFixture(Duration.ofDays(7), Duration.ofDays(3));
    g.channel(
        "ch",
        1,
        Map.of(
            1L, g.consenter("o1.example.com", Duration.ofDays(90)),
            2L, g.consenter("o2.example.com", Duration.ofDays(90))));
    g.expiries.refresh();
    assertThat(g.expiries.expiresSoon("ch", 1)).as("this node, by its enrollment").isTrue();
    assertThat(g.expiries.expiresSoon("ch", 2)).isFalse();
    assertThat(g.expiries.warning())
        .hasValueSatisfying(w -> assertThat(w).contains("enrollment certificate"));
  }
}

package io.ordo.orderer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.statsd.StatsdProtocol;
import io.ordo.orderer.config.LocalConfigException;
import io.ordo.orderer.config.MetricsConfig;
import io.ordo.orderer.ops.StatsdSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricsOutputsTest {
  private static MetricsConfig metrics(String provider, String network, String address) {
    return new MetricsConfig(provider, network, address, Duration.ofSeconds(30), "node1");
  }

  @Test
  void eachProviderSendsMetricsWhereFabricsDoes() {
    MetricsConfig prometheus = metrics("prometheus", "udp", "127.0.0.1:8125");
    assertThat(MetricsOutputs.scraped(prometheus)).isTrue();
    assertThat(MetricsOutputs.pushed(prometheus)).isEmpty();

    MetricsConfig disabled = metrics("disabled", "udp", "127.0.0.1:8125");
    assertThat(MetricsOutputs.scraped(disabled)).isFalse();
    assertThat(MetricsOutputs.pushed(disabled)).isEmpty();

    MetricsConfig statsd = metrics("statsd", "tcp", "127.0.0.1:9125");
    assertThat(MetricsOutputs.scraped(statsd)).isFalse();
    assertThat(MetricsOutputs.pushed(statsd))
        .contains(
            new StatsdSettings(
                StatsdProtocol.TCP, "127.0.0.1", 9125, Duration.ofSeconds(30), "node1"));
  }

  @Test
  void anUnusableStatsdTargetIsAnErrorNamingItsKey() {
    assertThatThrownBy(() -> MetricsOutputs.pushed(metrics("statsd", "ip4", "127.0.0.1:8125")))
        .isInstanceOfSatisfying(
            LocalConfigException.class,
            e -> assertThat(e.key()).isEqualTo("Metrics.Statsd.Network"));
    assertThatThrownBy(() -> MetricsOutputs.pushed(metrics("statsd", "udp", "8125")))
        .isInstanceOfSatisfying(
            LocalConfigException.class,
            e -> assertThat(e.key()).isEqualTo("Metrics.Statsd.Address"));
  }
}

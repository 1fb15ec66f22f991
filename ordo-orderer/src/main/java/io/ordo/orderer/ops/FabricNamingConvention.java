package io.ordo.orderer.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.prometheusmetrics.PrometheusNamingConvention;

/**
 * Prometheus naming, except that timers keep their name: Fabric's duration histograms (for example
 * {@code consensus_etcdraft_data_persist_duration}) are seconds without a {@code _seconds} suffix,
 * and Micrometer's histograms of non-timers round values up to whole units, which would put every
 * sub-second duration in the 1 s bucket. Timers keep exact buckets in seconds under Fabric's names
 * this way. Counters still get {@code _total}: the Prometheus writer adds it.
 */
public final class FabricNamingConvention implements NamingConvention {
  private final PrometheusNamingConvention prometheus = new PrometheusNamingConvention();

  @Override
  public String name(String name, Meter.Type type, String baseUnit) {
    if (type == Meter.Type.TIMER) {
      return prometheus.name(name, Meter.Type.OTHER, null);
    }
    return prometheus.name(name, type, baseUnit);
  }

  @Override
  public String tagKey(String key) {
    return prometheus.tagKey(key);
  }

  @Override
  public String tagValue(String value) {
    return prometheus.tagValue(value);
  }
}

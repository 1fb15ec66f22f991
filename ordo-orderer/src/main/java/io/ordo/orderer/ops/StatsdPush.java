package io.ordo.orderer.ops;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.statsd.StatsdConfig;
import io.micrometer.statsd.StatsdFlavor;
import io.micrometer.statsd.StatsdMeterRegistry;
import io.micrometer.statsd.StatsdProtocol;
import java.time.Duration;

/**
 * The registry that pushes Fabric's metrics to StatsD as Fabric's orderer names them: each meter of
 * Fabric's goes out under its Fabric bucket ({@link FabricStatsdBuckets}) with the prefix, in
 * Fabric's line format ({@link FabricStatsdLines}); any other meter is not sent. Lines are sent in
 * packets at least every WriteInterval; a gauge goes out when it changed since the last one.
 */
final class StatsdPush {
  private StatsdPush() {}

  static StatsdMeterRegistry registry(StatsdSettings settings) {
    FabricStatsdBuckets buckets = FabricStatsdBuckets.fabricV3();
    String prefix =
        settings.prefix().isEmpty() || settings.prefix().endsWith(".")
            ? settings.prefix()
            : settings.prefix() + ".";
    StatsdMeterRegistry registry =
        StatsdMeterRegistry.builder(new Config(settings))
            .clock(Clock.SYSTEM)
            .lineBuilder(
                (id, distribution) ->
                    new FabricStatsdLines(prefix + buckets.bucket(id).orElse(id.getName())))
            .build();
    registry.config().meterFilter(MeterFilter.denyUnless(buckets::has));
    return registry;
  }

  private record Config(StatsdSettings settings) implements StatsdConfig {
    @Override
    public String get(String key) {
      return null;
    }

    @Override
    public StatsdFlavor flavor() {
      return StatsdFlavor.ETSY;
    }

    @Override
    public String host() {
      return settings.host();
    }

    @Override
    public int port() {
      return settings.port();
    }

    @Override
    public StatsdProtocol protocol() {
      return settings.protocol();
    }

    @Override
    public Duration pollingFrequency() {
      return settings.writeInterval();
    }

    @Override
    public Duration step() {
      return settings.writeInterval();
    }

    @Override
    public boolean publishUnchangedMeters() {
      return false;
    }

    @Override
    public boolean buffered() {
      return true;
    }
  }
}

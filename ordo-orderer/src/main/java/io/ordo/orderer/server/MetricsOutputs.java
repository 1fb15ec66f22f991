package io.ordo.orderer.server;

import io.micrometer.statsd.StatsdProtocol;
import io.ordo.orderer.config.LocalConfigException;
import io.ordo.orderer.config.MetricsConfig;
import io.ordo.orderer.ops.StatsdSettings;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Where Fabric's metrics go, by Metrics.Provider, as Fabric's operations system decides it:
 * prometheus serves /metrics, statsd pushes to Metrics.Statsd and serves no /metrics, disabled does
 * neither.
 */
final class MetricsOutputs {
  private MetricsOutputs() {}

  static boolean scraped(MetricsConfig metrics) {
    return metrics.provider().equals("prometheus");
  }

  /**
   * @throws LocalConfigException naming Metrics.Statsd.Network or Address when unusable
   */
  static Optional<StatsdSettings> pushed(MetricsConfig metrics) {
    if (!metrics.provider().equals("statsd")) {
      return Optional.empty();
    }
    StatsdProtocol protocol =
        switch (metrics.statsdNetwork()) {
          case "udp", "udp4", "udp6" -> StatsdProtocol.UDP;
          case "tcp", "tcp4", "tcp6" -> StatsdProtocol.TCP;
          case "unixgram" -> StatsdProtocol.UDS_DATAGRAM;
          default ->
              throw new LocalConfigException(
                  "Metrics.Statsd.Network",
                  "'" + metrics.statsdNetwork() + "' is not one of udp, tcp, unixgram");
        };
    if (protocol == StatsdProtocol.UDS_DATAGRAM) {
      return Optional.of(
          new StatsdSettings(
              protocol,
              metrics.statsdAddress(),
              0,
              metrics.statsdWriteInterval(),
              metrics.statsdPrefix()));
    }
    InetSocketAddress address =
        OrdererServer.address("Metrics.Statsd.Address", metrics.statsdAddress());
    return Optional.of(
        new StatsdSettings(
            protocol,
            address.getHostString(),
            address.getPort(),
            metrics.statsdWriteInterval(),
            metrics.statsdPrefix()));
  }
}

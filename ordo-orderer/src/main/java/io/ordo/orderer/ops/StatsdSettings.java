package io.ordo.orderer.ops;

import io.micrometer.statsd.StatsdProtocol;
import java.time.Duration;

/**
 * Where Fabric's metrics are pushed with {@code Metrics.Provider: statsd} ({@code Metrics.Statsd}).
 *
 * @param host the StatsD server's host, or for {@code unixgram} the socket's path
 * @param port its port; 0 for {@code unixgram}
 * @param writeInterval how often what was measured is sent
 * @param prefix put before every bucket name; Fabric adds the dot that joins them
 */
public record StatsdSettings(
    StatsdProtocol protocol, String host, int port, Duration writeInterval, String prefix) {}

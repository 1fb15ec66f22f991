package io.ordo.orderer.config;

import java.time.Duration;

/**
 * The metrics provider.
 *
 * @param provider "disabled", "prometheus" or "statsd"
 */
public record MetricsConfig(
    String provider,
    String statsdNetwork,
    String statsdAddress,
    Duration statsdWriteInterval,
    String statsdPrefix) {}

package io.ordo.orderer.config;

import java.time.Duration;

/**
 * gRPC server keepalive ({@code General.Keepalive}).
 *
 * @param serverMinInterval clients pinging more often than this are sent GOAWAY
 */
public record KeepaliveConfig(
    Duration serverMinInterval, Duration serverInterval, Duration serverTimeout) {}

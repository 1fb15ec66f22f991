package io.ordo.orderer.config;

import java.time.Duration;

/**
 * Broadcast rate limiting ({@code General.Throttling}).
 *
 * @param rate transactions per second shared by all clients; 0 turns throttling off
 */
public record ThrottlingConfig(long rate, Duration inactivityTimeout) {}

package io.ordo.orderer.config;

import java.time.Duration;

/** Reconnection backoff for cluster dialing ({@code General.Backoff}). */
public record BackoffConfig(Duration baseDelay, double multiplier, Duration maxDelay) {}

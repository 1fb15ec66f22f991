package io.ordo.orderer.config;

import java.time.Duration;

/**
 * Client authentication settings ({@code General.Authentication}).
 *
 * @param timeWindow how far a Deliver request's timestamp may be from the server's clock
 */
public record AuthenticationConfig(Duration timeWindow, boolean noExpirationChecks) {}

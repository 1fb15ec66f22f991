package io.ordo.orderer.deliver;

import java.time.Clock;
import java.time.Duration;

/**
 * @param timeWindow General.Authentication.TimeWindow: the largest skew between a request's
 *     timestamp and the server's clock
 * @param mutualTls General.TLS.ClientAuthRequired: requests must then carry the SHA-256 of the
 *     client's TLS certificate in tls_cert_hash
 * @param noExpirationChecks General.Authentication.NoExpirationChecks
 */
public record DeliverOptions(
    Duration timeWindow, boolean mutualTls, boolean noExpirationChecks, Clock clock) {
  public static DeliverOptions defaults() {
    return new DeliverOptions(Duration.ofMinutes(15), false, false, Clock.systemUTC());
  }
}

/**
 * The operations listener of Fabric v3.0: {@code /healthz} (registered {@link
 * io.ordo.orderer.ops.HealthChecker}s, Fabric's JSON), {@code /metrics} (the Micrometer Prometheus
 * registry that broadcast, deliver, cluster and consensus register Fabric's metric names in),
 * {@code /version} and {@code /logspec} (Fabric's logging spec applied to logback levels). Optional
 * TLS; with TLS on, metrics and logspec require a verified client certificate. Uses {@code admin}'s
 * {@link io.ordo.orderer.admin.ServerTls} and {@link io.ordo.orderer.admin.HttpResponses}.
 */
package io.ordo.orderer.ops;

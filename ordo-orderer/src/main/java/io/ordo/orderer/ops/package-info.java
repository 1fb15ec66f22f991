/**
 * The operations listener of Fabric v3.0: {@code /healthz} (registered {@link
 * io.ordo.orderer.ops.HealthChecker}s, Fabric's JSON, and Ordo's {@code warnings} beside it),
 * {@code /metrics} ({@link io.ordo.orderer.ops.NodeMetrics}: the registry that the node's parts
 * register Fabric's metric names in, written as Fabric's Go client writes them, and the JVM's
 * series beside them), {@code /version} and {@code /logspec} (Fabric's logging spec applied to
 * logback levels). Optional TLS; with TLS on, metrics and logspec require a verified client
 * certificate. Uses {@code admin}'s {@link io.ordo.orderer.admin.ServerTls} and {@link
 * io.ordo.orderer.admin.HttpResponses}.
 */
package io.ordo.orderer.ops;

package io.ordo.orderer.config;

/** The operations listener (healthz, metrics, logspec, version). */
public record OperationsConfig(String listenAddress, TlsConfig tls) {}

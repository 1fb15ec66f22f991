package io.ordo.orderer.config;

/** The channel participation API listener. */
public record AdminConfig(String listenAddress, TlsConfig tls) {}

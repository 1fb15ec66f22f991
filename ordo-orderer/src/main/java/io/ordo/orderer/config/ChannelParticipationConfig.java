package io.ordo.orderer.config;

/**
 * The channel participation API.
 *
 * @param enabled always true: Fabric v3.0 forces the API on
 * @param maxRequestBodySize the largest join request body accepted
 */
public record ChannelParticipationConfig(boolean enabled, long maxRequestBodySize) {}

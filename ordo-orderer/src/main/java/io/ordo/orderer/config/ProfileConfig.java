package io.ordo.orderer.config;

/** Go's pprof listener ({@code General.Profile}); read for compatibility, unused by Ordo. */
public record ProfileConfig(boolean enabled, String address) {}

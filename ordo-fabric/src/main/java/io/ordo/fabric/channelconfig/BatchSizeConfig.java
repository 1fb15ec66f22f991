package io.ordo.fabric.channelconfig;

/** /Channel/Orderer/BatchSize. */
public record BatchSizeConfig(int maxMessageCount, long absoluteMaxBytes, long preferredMaxBytes) {}

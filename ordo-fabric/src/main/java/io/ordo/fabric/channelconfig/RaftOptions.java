package io.ordo.fabric.channelconfig;

import java.time.Duration;

/** etcdraft Options of a channel. */
public record RaftOptions(
    Duration tickInterval,
    int electionTick,
    int heartbeatTick,
    int maxInflightBlocks,
    long snapshotIntervalSize) {}

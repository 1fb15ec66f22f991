package io.ordo.orderer.consensus.etcdraft;

import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.orderer.replication.BlockPuller;
import java.time.Duration;
import java.util.function.Function;

/**
 * How the chains of this node reach other orderers' blocks: for catch-up after a snapshot and to
 * check, after a long time without a leader, whether this node was removed from a channel.
 *
 * @param pullers makes the block puller of a channel
 * @param loader reads the configs of pulled config blocks
 * @param leaderlessCheckInterval how often a chain checks whether it knows a leader (Fabric: 10 s)
 */
public record OtherOrderersBlocks(
    Function<String, BlockPuller> pullers,
    ChannelConfigLoader loader,
    Duration leaderlessCheckInterval) {
  /** Fabric's DefaultLeaderlessCheckInterval. */
  public static final Duration DEFAULT_LEADERLESS_CHECK = Duration.ofSeconds(10);
}

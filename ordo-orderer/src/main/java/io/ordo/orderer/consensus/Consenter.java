package io.ordo.orderer.consensus;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** Makes the chain of one channel for one consensus type (Fabric's {@code consensus.Consenter}). */
public interface Consenter {
  /**
   * @throws NotConsenterException when this node is not one of the channel's consenters
   * @throws IllegalArgumentException when the channel's consensus metadata is unusable
   */
  Chain handleChain(ConsenterSupport support);

  /** Whether this node is one of the consenters of a channel with this config. */
  boolean isConsenter(io.ordo.fabric.channelconfig.ChannelConfig config);

  /**
   * Deletes what the consensus keeps on disk for a channel whose chain was halted for good (its WAL
   * and snapshots), as removing a channel does.
   */
  void deleteChannelState(String channelId);

  /** A file or folder the consensus keeps for the channel, if there is any. */
  Optional<Path> channelState(String channelId);

  /** The names under which the consensus keeps state on disk (channel IDs, or not). */
  Set<String> channelsWithState();
}

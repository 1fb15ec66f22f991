package io.ordo.orderer.consensus;

import com.google.protobuf.ByteString;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.orderer.blockcutter.BlockCutter;
import io.ordo.orderer.msgprocessor.StandardChannel;
import org.hyperledger.fabric.protos.common.Block;

/**
 * What a chain needs from the rest of the node for its channel (Fabric's {@code
 * consensus.ConsenterSupport}): the block cutter, the current config, the message processor for
 * re-validation, and the ledger with its writer.
 */
public interface ConsenterSupport {
  String channelId();

  BlockCutter blockCutter();

  /** The channel's current config (batch timeout, batch size, sequence). */
  ChannelConfig channelConfig();

  /** Re-validates envelopes checked at an older config sequence. */
  StandardChannel processor();

  /** The ledger height: the number of the next block to write. */
  long height();

  Block block(long number);

  /**
   * Signs and appends a normal block.
   *
   * @param consenterMetadata the marshaled consensus metadata to embed in its signature metadata
   */
  void writeBlock(Block block, ByteString consenterMetadata);

  /** Signs and appends a config block (which becomes the last config block). */
  void writeConfigBlock(Block block, ByteString consenterMetadata);

  /**
   * The chain halted because a config update removed this node from the consenters. Called once, on
   * a thread of its own; the owner releases the chain and may keep the channel as a follower.
   */
  default void evicted() {}
}

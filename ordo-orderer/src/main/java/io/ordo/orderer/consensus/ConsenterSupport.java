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

  /**
   * As {@link #writeBlock}, for a block this node's block creator made: its data hash was computed
   * from this very data, and hashing a megabyte block twice is a leader's waste.
   */
  default void writeOwnBlock(Block block, ByteString consenterMetadata) {
    writeBlock(block, consenterMetadata);
  }

  /** Signs and appends a config block (which becomes the last config block). */
  void writeConfigBlock(Block block, ByteString consenterMetadata);

  /**
   * Appends consecutive blocks pulled (and verified) from other orderers as they are, with their
   * own signatures and consenter metadata, with one sync; a config block among them switches the
   * channel to its config.
   */
  void appendPulledBlocks(java.util.List<Block> blocks);

  /**
   * The chain learned that config block {@code configBlock} no longer lists this node as a
   * consenter: the channel should be followed instead. Must not block.
   */
  void evicted(long configBlock);

  /**
   * The chain stopped on its own, not because its owner halted it: a write that failed (a full
   * disk), a raft error. It orders nothing more; the owner may start a new one. Must not block.
   */
  default void chainFailed(Throwable cause) {}
}

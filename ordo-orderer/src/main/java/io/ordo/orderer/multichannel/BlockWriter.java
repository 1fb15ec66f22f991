package io.ordo.orderer.multichannel;

import com.google.protobuf.ByteString;
import io.ordo.fabric.block.BlockHashing;
import io.ordo.fabric.block.BlockSigner;
import io.ordo.fabric.block.Blocks;
import io.ordo.fabric.block.ConfigBlocks;
import io.ordo.storage.ledger.BlockLedger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Appends ordered blocks to a channel's ledger as Fabric's multichannel {@code BlockWriter}: checks
 * that the block chains on the last one, writes LAST_CONFIG and the signed SIGNATURES metadata
 * (with the consenter metadata) using this orderer's identity, then appends. One writer per ledger.
 */
public final class BlockWriter {
  private final String channel;
  private final BlockLedger ledger;
  private final BlockSigner signer;
  private long lastConfigIndex;
  private long lastNumber;
  private byte[] lastHeaderHash;

  /**
   * @param ledger holds at least the genesis block
   */
  public BlockWriter(String channel, BlockLedger ledger, BlockSigner signer) {
    this.channel = channel;
    this.ledger = ledger;
    this.signer = signer;
    long height = ledger.height();
    if (height == 0) {
      throw new IllegalArgumentException("ledger of channel " + channel + " has no genesis block");
    }
    Block last = ledger.block(height - 1);
    this.lastConfigIndex = Blocks.lastConfigIndex(last);
    this.lastNumber = last.getHeader().getNumber();
    this.lastHeaderHash = BlockHashing.headerHash(last.getHeader());
  }

  /** Signs and appends a normal block. */
  public synchronized void writeBlock(Block block, ByteString consenterMetadata) {
    checkChains(block);
    commit(block, consenterMetadata);
  }

  /**
   * Signs and appends a block made by this node's block creator; only its number and previous hash
   * are checked, its data hash having been computed from this data.
   */
  public synchronized void writeOwnBlock(Block block, ByteString consenterMetadata) {
    checkFollows(block, lastNumber, lastHeaderHash);
    commit(block, consenterMetadata);
  }

  /** Signs and appends a config block, which becomes the last config block (points to itself). */
  public synchronized void writeConfigBlock(Block block, ByteString consenterMetadata) {
    checkChains(block);
    lastConfigIndex = block.getHeader().getNumber();
    commit(block, consenterMetadata);
  }

  /**
   * Appends consecutive blocks pulled from other orderers as they are (already signed by them),
   * after checking that they chain on the last one, with one sync; a config block becomes the last
   * config block.
   */
  public synchronized void appendPulled(List<Block> blocks) {
    long number = lastNumber;
    byte[] hash = lastHeaderHash;
    long config = lastConfigIndex;
    for (Block block : blocks) {
      checkChains(block, number, hash);
      number = block.getHeader().getNumber();
      hash = BlockHashing.headerHash(block.getHeader());
      if (ConfigBlocks.isConfigBlock(block)) {
        config = number;
      }
    }
    ledger.appendAll(blocks);
    lastNumber = number;
    lastHeaderHash = hash;
    lastConfigIndex = config;
  }

  public synchronized long lastConfigIndex() {
    return lastConfigIndex;
  }

  private void commit(Block block, ByteString consenterMetadata) {
    ledger.append(signer.sign(block, lastConfigIndex, consenterMetadata));
    lastNumber = block.getHeader().getNumber();
    lastHeaderHash = BlockHashing.headerHash(block.getHeader());
  }

  private void checkChains(Block block) {
    checkChains(block, lastNumber, lastHeaderHash);
  }

  private void checkChains(Block block, long lastNumber, byte[] lastHeaderHash) {
    checkFollows(block, lastNumber, lastHeaderHash);
    if (!Arrays.equals(
        block.getHeader().getDataHash().toByteArray(), BlockHashing.dataHash(block.getData()))) {
      throw new BlockWriteException(
          "channel "
              + channel
              + ": block ["
              + block.getHeader().getNumber()
              + "] data hash does not match its data");
    }
  }

  private void checkFollows(Block block, long lastNumber, byte[] lastHeaderHash) {
    long number = block.getHeader().getNumber();
    if (number != lastNumber + 1) {
      throw new BlockWriteException(
          "channel "
              + channel
              + ": block ["
              + number
              + "] does not follow block ["
              + lastNumber
              + "]");
    }
    if (!Arrays.equals(block.getHeader().getPreviousHash().toByteArray(), lastHeaderHash)) {
      throw new BlockWriteException(
          "channel "
              + channel
              + ": block ["
              + number
              + "] has previous hash "
              + HexFormat.of().formatHex(block.getHeader().getPreviousHash().toByteArray())
              + ", block ["
              + lastNumber
              + "] hashes to "
              + HexFormat.of().formatHex(lastHeaderHash));
    }
  }
}

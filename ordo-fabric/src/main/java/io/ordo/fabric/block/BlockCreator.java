package io.ordo.fabric.block;

import com.google.protobuf.ByteString;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;

/**
 * Chains new blocks on the last block it created, so that a leader can build several blocks before
 * the earlier ones are committed. Not thread-safe: owned by one chain loop.
 */
public final class BlockCreator {
  private long lastNumber;
  private byte[] lastHash;

  public BlockCreator(BlockHeader lastBlockHeader) {
    this.lastNumber = lastBlockHeader.getNumber();
    this.lastHash = BlockHashing.headerHash(lastBlockHeader);
  }

  public Block createNext(List<ByteString> envelopes) {
    Block block = Blocks.next(lastNumber, lastHash, envelopes);
    lastNumber = block.getHeader().getNumber();
    lastHash = BlockHashing.headerHash(block.getHeader());
    return block;
  }

  public long lastNumber() {
    return lastNumber;
  }
}

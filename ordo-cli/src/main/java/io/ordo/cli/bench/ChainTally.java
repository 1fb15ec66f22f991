package io.ordo.cli.bench;

import com.google.protobuf.ByteString;
import io.ordo.fabric.block.BlockHashing;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.hyperledger.fabric.protos.common.Block;

/**
 * One orderer's chain as the audit needs it, taken block by block as it is delivered from block 0
 * (the blocks themselves are not kept): each block's header hash, and how many times each
 * transaction of the run appears, matched by the tx id in its channel header (unique per envelope).
 */
final class ChainTally {
  private final ToIntFunction<String> indexOfTxId;
  private final int[] occurrences;
  private final List<byte[]> headerHashes = new ArrayList<>();

  /**
   * @param total the run's transactions
   * @param indexOfTxId a tx id's transaction index in the run, -1 for any other
   */
  ChainTally(int total, ToIntFunction<String> indexOfTxId) {
    this.indexOfTxId = indexOfTxId;
    this.occurrences = new int[total];
  }

  /** The next block, in number order from 0. */
  synchronized void add(Block block) {
    headerHashes.add(BlockHashing.headerHash(block.getHeader()));
    for (ByteString data : block.getData().getDataList()) {
      int index = indexOfTxId.applyAsInt(CommitWatcher.txId(data));
      if (index >= 0) {
        occurrences[index]++;
      }
    }
  }

  /** Blocks taken: the chain's height. */
  synchronized int height() {
    return headerHashes.size();
  }

  synchronized List<byte[]> headerHashes() {
    return List.copyOf(headerHashes);
  }

  /** How many times transaction {@code index} of the run is in the chain. */
  synchronized int occurrences(int index) {
    return occurrences[index];
  }
}

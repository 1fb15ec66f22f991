package io.ordo.storage.ledger;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Reads blocks in order from a start number, waiting for each to be appended. {@link #next} parks
 * the calling thread (fine on a virtual thread); {@link #nextAsync} holds none.
 */
public final class BlockIterator {
  private final BlockLedger ledger;
  private long next;

  BlockIterator(BlockLedger ledger, long from) {
    this.ledger = ledger;
    this.next = from;
  }

  /** The number of the block the next call returns. */
  public long position() {
    return next;
  }

  /**
   * The next block, waiting until it exists.
   *
   * @throws LedgerClosedException if the ledger closes first
   */
  public Block next() {
    try {
      return nextAsync().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /** The next block once it exists; the iterator moves on when the future completes. */
  public CompletableFuture<Block> nextAsync() {
    long wanted = next;
    return ledger
        .awaitHeight(wanted + 1)
        .thenApply(
            h -> {
              Block b = ledger.block(wanted);
              next = wanted + 1;
              return b;
            });
  }
}

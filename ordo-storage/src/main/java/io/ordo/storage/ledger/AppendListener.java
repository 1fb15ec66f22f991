package io.ordo.storage.ledger;

/**
 * Told after blocks became durable and visible in a ledger, for an operator's metrics (the
 * orderer's {@code ledger_blockchain_height} and {@code ledger_blockstorage_commit_time}). Called
 * on the appending thread: must be quick and must not throw.
 */
@FunctionalInterface
public interface AppendListener {
  /** Tells nothing. */
  AppendListener NONE = (blocks, height, nanos) -> {};

  /**
   * @param blocks how many blocks the append wrote (one fsync of data and one of the index for all)
   * @param height the ledger's height after them
   * @param nanos how long writing and syncing them took
   */
  void appended(int blocks, long height, long nanos);
}

package io.ordo.orderer.consensus.etcdraft;

import io.ordo.orderer.consensus.ConsenterSupport;

/**
 * Fetches the blocks a chain misses from other orderers when raft hands it a snapshot of a block
 * beyond the next one (Fabric's {@code catchUp} with its block puller).
 */
public interface CatchUp extends AutoCloseable {
  /** For chains made without a way to pull: a snapshot ahead of the ledger halts the chain. */
  CatchUp UNSUPPORTED =
      (support, to) -> {
        throw new IllegalStateException(
            "channel "
                + support.channelId()
                + ": a snapshot carries block ["
                + to
                + "] but the ledger is at ["
                + (support.height() - 1)
                + "] and this chain has no block puller");
      };

  /**
   * Pulls blocks {@code support.height()} to {@code to} (included), verified, and appends each with
   * {@link ConsenterSupport#appendPulledBlock}.
   */
  void pullUpTo(ConsenterSupport support, long to);

  /** Aborts a pull in progress (the chain is halting). */
  @Override
  default void close() {}
}

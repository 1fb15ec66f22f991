package io.ordo.cli.client;

import io.ordo.cli.CommandFailedException;

/**
 * An orderer answered NOT_FOUND for blocks below the first one it holds, and said which that is (an
 * Ordo orderer that prunes its ledger, or that onboarded from a later config block).
 */
public final class BlocksPrunedException extends CommandFailedException {
  private final long firstBlock;

  BlocksPrunedException(String message, long firstBlock) {
    super(message);
    this.firstBlock = firstBlock;
  }

  /** The first block the orderer holds. */
  public long firstBlock() {
    return firstBlock;
  }
}

package io.ordo.storage.ledger;

import java.nio.file.Path;
import java.util.NoSuchElementException;

/**
 * A block below the ledger's first block: the ledger held it once and pruned it, or started at a
 * later block (a node onboarded from a config block). A {@link NoSuchElementException}, as a read
 * at or past the height is, so that a reader that only knows "not there" needs nothing new.
 */
public final class BlockPrunedException extends NoSuchElementException {
  private final long number;
  private final long first;

  BlockPrunedException(Path dir, long number, long first, long height) {
    super(
        "ledger "
            + dir
            + " no longer holds block "
            + number
            + ": it holds blocks from "
            + first
            + " (height "
            + height
            + "), the ones before were pruned");
    this.number = number;
    this.first = first;
  }

  /** The block asked for. */
  public long number() {
    return number;
  }

  /** The first block the ledger holds. */
  public long first() {
    return first;
  }
}

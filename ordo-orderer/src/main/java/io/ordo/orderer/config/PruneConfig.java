package io.ordo.orderer.config;

import java.time.Duration;

/**
 * Ordo's ledger pruning ({@code FileLedger.Prune}), which Fabric v3.0 has not: every {@code
 * interval}, each channel's block files wholly older than its last {@code keepBlocks} blocks, its
 * newest raft snapshot's block and its last config block are deleted. Off while {@code keepBlocks}
 * is 0, the default.
 *
 * @param blockFileBytes the size at which a pruning node starts its next block file: pruning
 *     deletes whole files, so this is its step (64 MiB, the ledger's own default)
 */
public record PruneConfig(long keepBlocks, Duration interval, long blockFileBytes) {
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

  /** The ledger's own block file size. */
  public static final long DEFAULT_BLOCK_FILE_BYTES = 64L << 20;

  /** No pruning: every block is kept, as Fabric keeps them. */
  public static final PruneConfig OFF = new PruneConfig(0, DEFAULT_INTERVAL);

  public PruneConfig(long keepBlocks, Duration interval) {
    this(keepBlocks, interval, DEFAULT_BLOCK_FILE_BYTES);
  }

  public PruneConfig {
    if (blockFileBytes < 1024) {
      throw new IllegalArgumentException("blockFileBytes " + blockFileBytes + " is below 1024");
    }
    if (keepBlocks < 0) {
      throw new IllegalArgumentException("keepBlocks " + keepBlocks + " is negative");
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval " + interval + " is not positive");
    }
  }

  public boolean enabled() {
    return keepBlocks > 0;
  }
}

package io.ordo.orderer.config;

import java.nio.file.Path;

/**
 * Where the block ledgers live ({@code FileLedger.Location}), and Ordo's pruning of them ({@code
 * FileLedger.Prune}).
 */
public record FileLedgerConfig(Path location, PruneConfig prune) {
  /** Ledgers that keep every block. */
  public FileLedgerConfig(Path location) {
    this(location, PruneConfig.OFF);
  }
}

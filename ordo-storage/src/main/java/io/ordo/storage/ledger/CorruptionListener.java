package io.ordo.storage.ledger;

import io.ordo.storage.io.StorageCorruptionException;

/**
 * Told when a read or a scrub finds a ledger's stored bytes damaged, once per opened ledger: the
 * owner decides what to do with the ledger (the orderer moves it aside and rebuilds the channel),
 * while the read that found the damage still fails with the exception.
 */
@FunctionalInterface
public interface CorruptionListener {
  /** Ignores every report: the read's exception is the only sign. */
  CorruptionListener NONE = (ledger, problem) -> {};

  /** Called on the thread of the read or scrub; must not block. */
  void corrupted(BlockLedger ledger, StorageCorruptionException problem);
}

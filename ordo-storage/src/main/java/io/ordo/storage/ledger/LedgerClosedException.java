package io.ordo.storage.ledger;

/** The ledger was closed while a reader waited for a block, or before the call. */
public final class LedgerClosedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public LedgerClosedException(String ledger) {
    super("ledger " + ledger + " is closed");
  }
}

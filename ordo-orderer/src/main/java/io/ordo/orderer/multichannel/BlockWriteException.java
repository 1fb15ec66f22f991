package io.ordo.orderer.multichannel;

/** A block does not fit on the ledger (wrong number, broken hash chain, bad data hash). */
public final class BlockWriteException extends RuntimeException {
  public BlockWriteException(String message) {
    super(message);
  }
}

package io.ordo.storage.ledger;

import io.ordo.storage.io.ChannelFactory;

/**
 * How a ledger lays out its files.
 *
 * @param fileBytes a block that would take a block file past this size starts the next file (a
 *     larger block gets a file of its own)
 * @param channels how files are opened
 */
public record LedgerOptions(long fileBytes, ChannelFactory channels) {
  public static final long DEFAULT_FILE_BYTES = 64L << 20;

  public LedgerOptions {
    if (fileBytes < 1024) {
      throw new IllegalArgumentException("fileBytes " + fileBytes + " is below 1024");
    }
  }

  public static LedgerOptions defaults() {
    return new LedgerOptions(DEFAULT_FILE_BYTES, ChannelFactory.DEFAULT);
  }

  public LedgerOptions withFileBytes(long bytes) {
    return new LedgerOptions(bytes, channels);
  }

  public LedgerOptions withChannels(ChannelFactory factory) {
    return new LedgerOptions(fileBytes, factory);
  }
}

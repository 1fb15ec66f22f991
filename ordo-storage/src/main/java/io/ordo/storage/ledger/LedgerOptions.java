package io.ordo.storage.ledger;

import io.ordo.storage.io.ChannelFactory;

/**
 * How a ledger lays out its files.
 *
 * @param fileBytes a block that would take a block file past this size starts the next file (a
 *     larger block gets a file of its own)
 * @param directWrites write block files around the page cache where the file system allows it
 *     ({@link io.ordo.storage.io.FileAppender}); the newest blocks are then read from memory
 * @param channels how files are opened
 * @param corruption told of the first damaged block a read or a scrub finds
 * @param appends told after each append
 */
public record LedgerOptions(
    long fileBytes,
    boolean directWrites,
    ChannelFactory channels,
    CorruptionListener corruption,
    AppendListener appends) {
  public static final long DEFAULT_FILE_BYTES = 64L << 20;

  public LedgerOptions {
    if (fileBytes < 1024) {
      throw new IllegalArgumentException("fileBytes " + fileBytes + " is below 1024");
    }
  }

  public static LedgerOptions defaults() {
    return new LedgerOptions(
        DEFAULT_FILE_BYTES,
        true,
        ChannelFactory.DEFAULT,
        CorruptionListener.NONE,
        AppendListener.NONE);
  }

  public LedgerOptions withFileBytes(long bytes) {
    return new LedgerOptions(bytes, directWrites, channels, corruption, appends);
  }

  public LedgerOptions withDirectWrites(boolean on) {
    return new LedgerOptions(fileBytes, on, channels, corruption, appends);
  }

  public LedgerOptions withChannels(ChannelFactory factory) {
    return new LedgerOptions(fileBytes, directWrites, factory, corruption, appends);
  }

  public LedgerOptions withCorruptionListener(CorruptionListener listener) {
    return new LedgerOptions(fileBytes, directWrites, channels, listener, appends);
  }

  public LedgerOptions withAppendListener(AppendListener listener) {
    return new LedgerOptions(fileBytes, directWrites, channels, corruption, listener);
  }
}

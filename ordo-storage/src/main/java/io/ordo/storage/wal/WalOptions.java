package io.ordo.storage.wal;

import io.ordo.storage.io.ChannelFactory;

/**
 * How a WAL lays out its files.
 *
 * @param segmentBytes a save that would cross this size starts a new segment (one save larger than
 *     this makes a larger segment)
 * @param preallocate extend a new segment to {@code segmentBytes} up front, so the file size does
 *     not change with every save
 * @param releaseMarginEntries {@code releaseTo(i)} keeps the entries from {@code i - margin} on
 * @param directWrites write segments around the page cache where the file system allows it ({@link
 *     io.ordo.storage.io.FileAppender}); a WAL is read only when the node starts
 * @param channels how files are opened
 * @param observer told what saves write and how long their fsyncs take
 */
public record WalOptions(
    long segmentBytes,
    boolean preallocate,
    long releaseMarginEntries,
    boolean directWrites,
    ChannelFactory channels,
    WalObserver observer) {
  public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

  public WalOptions {
    if (segmentBytes < 4096) {
      throw new IllegalArgumentException("segmentBytes " + segmentBytes + " is below 4096");
    }
    if (releaseMarginEntries < 0) {
      throw new IllegalArgumentException("negative releaseMarginEntries " + releaseMarginEntries);
    }
  }

  public static WalOptions defaults() {
    return new WalOptions(
        DEFAULT_SEGMENT_BYTES, true, 0, true, ChannelFactory.DEFAULT, WalObserver.NONE);
  }

  public WalOptions withSegmentBytes(long bytes) {
    return new WalOptions(
        bytes, preallocate, releaseMarginEntries, directWrites, channels, observer);
  }

  public WalOptions withPreallocate(boolean on) {
    return new WalOptions(segmentBytes, on, releaseMarginEntries, directWrites, channels, observer);
  }

  public WalOptions withReleaseMarginEntries(long margin) {
    return new WalOptions(segmentBytes, preallocate, margin, directWrites, channels, observer);
  }

  public WalOptions withDirectWrites(boolean on) {
    return new WalOptions(segmentBytes, preallocate, releaseMarginEntries, on, channels, observer);
  }

  public WalOptions withChannels(ChannelFactory factory) {
    return new WalOptions(
        segmentBytes, preallocate, releaseMarginEntries, directWrites, factory, observer);
  }

  public WalOptions withObserver(WalObserver watcher) {
    return new WalOptions(
        segmentBytes, preallocate, releaseMarginEntries, directWrites, channels, watcher);
  }
}

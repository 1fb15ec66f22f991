package io.ordo.storage.wal;

/** The (index, term) of a snapshot, recorded in the WAL so that replay can start after it. */
public record SnapshotMarker(long index, long term) {
  /** The empty snapshot every WAL starts from. */
  public static final SnapshotMarker ZERO = new SnapshotMarker(0, 0);

  public SnapshotMarker {
    if (index < 0 || term < 0) {
      throw new IllegalArgumentException("negative snapshot marker " + index + "/" + term);
    }
  }
}

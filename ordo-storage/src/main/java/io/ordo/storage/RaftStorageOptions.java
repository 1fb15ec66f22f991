package io.ordo.storage;

import io.ordo.storage.snap.SnapshotObserver;
import io.ordo.storage.wal.WalOptions;

/**
 * How a {@link RaftStorage} keeps its files.
 *
 * @param wal the WAL's layout (its channel factory also opens snapshot files)
 * @param snapshotsKept snapshot files kept on disk (Fabric keeps 4)
 * @param catchUpEntries entries kept in memory below a snapshot for slow followers (Fabric: 4)
 * @param snapshots told what each snapshot save took
 */
public record RaftStorageOptions(
    WalOptions wal, int snapshotsKept, long catchUpEntries, SnapshotObserver snapshots) {
  public RaftStorageOptions {
    if (snapshotsKept < 1) {
      throw new IllegalArgumentException("snapshotsKept must be at least 1, is " + snapshotsKept);
    }
    if (catchUpEntries < 0) {
      throw new IllegalArgumentException("negative catchUpEntries " + catchUpEntries);
    }
  }

  public static RaftStorageOptions defaults() {
    return new RaftStorageOptions(WalOptions.defaults(), 4, 4, SnapshotObserver.NONE);
  }

  public RaftStorageOptions withWal(WalOptions options) {
    return new RaftStorageOptions(options, snapshotsKept, catchUpEntries, snapshots);
  }

  public RaftStorageOptions withSnapshotObserver(SnapshotObserver observer) {
    return new RaftStorageOptions(wal, snapshotsKept, catchUpEntries, observer);
  }
}

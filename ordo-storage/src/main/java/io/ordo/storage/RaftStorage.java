package io.ordo.storage;

import com.google.protobuf.ByteString;
import io.ordo.raft.MemoryStorage;
import io.ordo.raft.Messages;
import io.ordo.raft.Storage;
import io.ordo.raft.pb.ConfState;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.HardState;
import io.ordo.raft.pb.Snapshot;
import io.ordo.storage.io.StorageCorruptionException;
import io.ordo.storage.snap.Snapshotter;
import io.ordo.storage.wal.SnapshotMarker;
import io.ordo.storage.wal.Wal;
import io.ordo.storage.wal.WalMetadata;
import io.ordo.storage.wal.WalRecovery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raft log of one node on one channel, as Fabric's etcdraft {@code RaftStorage}: a WAL and
 * snapshot files on disk, a {@link MemoryStorage} that the raft core reads. Everything reaches the
 * disk before memory changes, so a failed write leaves memory as it was.
 *
 * <p>Layout: {@code <dir>/wal} and {@code <dir>/snap}.
 */
public final class RaftStorage implements Storage, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RaftStorage.class);

  private final MemoryStorage memory = new MemoryStorage();
  private final Wal wal;
  private final Snapshotter snapshots;
  private final RaftStorageOptions options;

  private RaftStorage(Wal wal, Snapshotter snapshots, RaftStorageOptions options) {
    this.wal = wal;
    this.snapshots = snapshots;
    this.options = options;
  }

  /**
   * Opens the storage in {@code dir}, creating it if empty: loads the newest snapshot the WAL
   * knows, then the HardState and the entries after that snapshot.
   *
   * @throws IllegalStateException if the WAL belongs to another node or channel
   * @throws StorageCorruptionException if the WAL or the snapshot it starts after is damaged or
   *     missing
   */
  public static RaftStorage open(Path dir, WalMetadata owner, RaftStorageOptions options) {
    return open(dir.resolve("wal"), dir.resolve("snap"), owner, options);
  }

  /**
   * As {@link #open(Path, WalMetadata, RaftStorageOptions)} with the WAL and the snapshots in
   * folders of their own (Fabric's Consensus.WALDir and Consensus.SnapDir).
   */
  public static RaftStorage open(
      Path walDir, Path snapDir, WalMetadata owner, RaftStorageOptions options) {
    if (!Wal.exists(walDir)) {
      Snapshotter snapshots =
          new Snapshotter(snapDir, options.wal().channels(), options.snapshots());
      return new RaftStorage(Wal.create(walDir, owner, options.wal()), snapshots, options);
    }
    Wal.Opened opened = Wal.open(walDir, options.wal());
    try {
      WalRecovery recovery = opened.recovery();
      if (!owner.equals(recovery.metadata())) {
        throw new IllegalStateException(
            "WAL " + walDir + " belongs to " + recovery.metadata() + ", not " + owner);
      }
      boolean folder = Files.isDirectory(snapDir);
      Optional<Snapshot> snap =
          folder
              ? new Snapshotter(snapDir, options.wal().channels(), options.snapshots())
                  .loadNewest(recovery.markers()::contains)
              : Optional.empty();
      SnapshotMarker newest = newestMarker(recovery);
      if (snap.isEmpty() && newest.index() > 0 && !replayableFromStart(recovery, newest)) {
        // the WAL segments before the snapshot were released: without it the log has a hole
        throw new StorageCorruptionException(
            snapDir,
            (folder
                    ? "the snapshot folder holds no intact snapshot the WAL marks"
                    : "the snapshot folder is missing")
                + " while the WAL in "
                + walDir
                + " refers to the snapshot at index "
                + newest.index());
      }
      RaftStorage storage =
          new RaftStorage(
              opened.wal(),
              new Snapshotter(snapDir, options.wal().channels(), options.snapshots()),
              options);
      SnapshotMarker at = snap.map(Snapshotter::markerOf).orElse(SnapshotMarker.ZERO);
      List<Entry> entries = recovery.entriesAfter(at);
      snap.ifPresent(storage.memory::applySnapshot);
      storage.memory.setHardState(recovery.hardState());
      storage.memory.append(entries);
      log.info(
          "raft storage {}: snapshot {}, {} entries after it, commit {}",
          walDir,
          at,
          entries.size(),
          recovery.hardState().getCommit());
      return storage;
    } catch (RuntimeException e) {
      opened.wal().close();
      throw e;
    }
  }

  private static SnapshotMarker newestMarker(WalRecovery recovery) {
    return recovery.markers().stream()
        .max(Comparator.comparingLong(SnapshotMarker::index))
        .orElse(SnapshotMarker.ZERO);
  }

  /**
   * Whether the WAL still holds every entry from the first on, up to its newest snapshot at least:
   * the state that snapshot holds can then be replayed without it.
   */
  private static boolean replayableFromStart(WalRecovery recovery, SnapshotMarker newest) {
    if (!recovery.markers().contains(SnapshotMarker.ZERO)) {
      return false;
    }
    try {
      List<Entry> log = recovery.entriesAfter(SnapshotMarker.ZERO);
      return !log.isEmpty() && log.getLast().getIndex() >= newest.index();
    } catch (StorageCorruptionException e) {
      return false;
    }
  }

  /**
   * Persists what a raft {@code Ready} handed over, then updates memory, in the order of etcd
   * v3.5's server ({@code etcdserver.(*raftNode).start} with {@code (*storage).SaveSnap}): the
   * snapshot file (if any), then one WAL save of its marker, the entries and the HardState with a
   * single fsync; then memory takes the snapshot, the HardState and the entries. Fabric's {@code
   * etcdraft.(*RaftStorage).Store} saves entries and HardState before the snapshot marker and file;
   * the order here never leaves a marker without its file.
   *
   * @param hs the new HardState, or null / empty if unchanged
   * @param entries entries to persist, possibly empty
   * @param snapshot a snapshot received from the leader, or null / empty
   */
  public void store(HardState hs, List<Entry> entries, Snapshot snapshot) {
    store(hs, entries, snapshot, true);
  }

  /**
   * As {@link #store(HardState, List, Snapshot)}, with the fsync skipped when raft says the Ready
   * need not be synced ({@code Ready.mustSync()} false: only the commit index moved).
   */
  public void store(HardState hs, List<Entry> entries, Snapshot snapshot, boolean mustSync) {
    boolean hasSnapshot = snapshot != null && !Messages.isEmptySnapshot(snapshot);
    SnapshotMarker marker = hasSnapshot ? Snapshotter.markerOf(snapshot) : null;
    if (hasSnapshot) {
      // the file goes first: a snapshot file the WAL does not mark is ignored on open, while a
      // marker without its file would leave the WAL unreadable after it
      snapshots.save(snapshot);
    }
    wal.save(hs, entries, marker, mustSync);
    if (hasSnapshot) {
      memory.applySnapshot(snapshot);
      releaseBelow(marker.index());
    }
    if (hs != null && !Messages.isEmptyHardState(hs)) {
      memory.setHardState(hs);
    }
    memory.append(entries);
  }

  /**
   * Takes a snapshot of the applied state at {@code index}: persists it (file, then WAL marker),
   * then compacts memory to {@code index - catchUpEntries}, releases WAL segments and prunes old
   * snapshot files.
   */
  public Snapshot takeSnapshot(long index, ConfState confState, ByteString data) {
    Snapshot snap = Messages.snapshot(data, confState, index, memory.term(index));
    snapshots.save(snap);
    wal.save(null, List.of(), Snapshotter.markerOf(snap));
    Snapshot made = memory.createSnapshot(index, confState, data);
    long compactTo = index - options.catchUpEntries();
    if (compactTo > memory.firstIndex()) {
      memory.compact(compactTo);
    }
    releaseBelow(index);
    return made;
  }

  /** Keeps the WAL back to the oldest snapshot kept, so any of them can be replayed from. */
  private void releaseBelow(long index) {
    snapshots.prune(options.snapshotsKept());
    long oldest = snapshots.oldest().map(SnapshotMarker::index).orElse(0L);
    wal.releaseTo(Math.min(index, oldest));
  }

  /** The HardState last stored. */
  public HardState hardState() {
    return memory.hardState();
  }

  @Override
  public InitialState initialState() {
    return memory.initialState();
  }

  @Override
  public List<Entry> entries(long lo, long hi, long maxSize) {
    return memory.entries(lo, hi, maxSize);
  }

  @Override
  public long term(long i) {
    return memory.term(i);
  }

  @Override
  public long lastIndex() {
    return memory.lastIndex();
  }

  @Override
  public long firstIndex() {
    return memory.firstIndex();
  }

  @Override
  public Snapshot snapshot() {
    return memory.snapshot();
  }

  @Override
  public void close() {
    wal.close();
  }
}

package io.ordo.storage.wal;

import io.ordo.raft.Messages;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.HardState;
import io.ordo.storage.io.StorageCorruptionException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * What a WAL held when it was opened: its owner, the last HardState, every snapshot marker still on
 * disk and the entries in the order they were written (overwrites included).
 */
public final class WalRecovery {
  private final WalMetadata metadata;
  private final HardState hardState;
  private final Set<SnapshotMarker> markers;
  private final List<LocatedEntry> written;

  record LocatedEntry(Entry entry, Path file, long offset) {}

  WalRecovery(
      WalMetadata metadata,
      HardState hardState,
      Set<SnapshotMarker> markers,
      List<LocatedEntry> written) {
    this.metadata = metadata;
    this.hardState = hardState == null ? Messages.EMPTY_HARD_STATE : hardState;
    this.markers = Collections.unmodifiableSet(markers);
    this.written = written;
  }

  public WalMetadata metadata() {
    return metadata;
  }

  public HardState hardState() {
    return hardState;
  }

  /** Snapshot markers in the segments still on disk; a snapshot file is usable only if listed. */
  public Set<SnapshotMarker> markers() {
    return markers;
  }

  /**
   * The log after snapshot {@code at} as the node last had it: each entry written replaces every
   * entry at or above its index, as raft overwrites a conflicting suffix.
   *
   * @throws IllegalArgumentException if {@code at} is not a marker of this WAL
   * @throws StorageCorruptionException if an entry leaves a gap after {@code at}
   */
  public List<Entry> entriesAfter(SnapshotMarker at) {
    if (!markers.contains(at)) {
      throw new IllegalArgumentException(
          "snapshot " + at + " is not recorded in the WAL (markers " + markers + ")");
    }
    ArrayList<Entry> log = new ArrayList<>();
    for (LocatedEntry located : written) {
      long index = located.entry().getIndex();
      if (index <= at.index()) {
        continue;
      }
      long next = at.index() + log.size() + 1;
      if (index > next) {
        throw new StorageCorruptionException(
            located.file(),
            located.offset(),
            "entry "
                + index
                + " leaves a gap: the log after snapshot "
                + at
                + " ends at "
                + (next - 1));
      }
      int keep = (int) (index - at.index() - 1);
      if (keep < log.size()) {
        log.subList(keep, log.size()).clear();
      }
      log.add(located.entry());
    }
    return log;
  }
}

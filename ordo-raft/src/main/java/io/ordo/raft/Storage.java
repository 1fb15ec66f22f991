package io.ordo.raft;

import io.ordo.raft.pb.ConfState;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.HardState;
import io.ordo.raft.pb.Snapshot;
import java.util.List;

/**
 * The raft log as the application has persisted it, read by the raft core (etcd raft's {@code
 * Storage}). The core never writes through this interface: the application appends what each {@link
 * Ready} hands it, then calls {@link RawNode#advance}.
 *
 * <p>Index arithmetic: the storage holds a dummy entry at {@code firstIndex() - 1} whose term is
 * known (the snapshot's), so {@code term(firstIndex() - 1)} answers.
 */
public interface Storage {
  /** The persisted HardState and ConfState, read once when a node starts. */
  InitialState initialState();

  /**
   * Entries in {@code [lo, hi)}, at least one if any exist, then as many as fit in {@code maxSize}
   * bytes of entry proto size.
   *
   * @throws StorageException.Compacted when {@code lo <= snapshot index}
   * @throws StorageException.Unavailable when {@code hi > lastIndex() + 1}
   */
  List<Entry> entries(long lo, long hi, long maxSize);

  /**
   * The term of entry {@code i}, for {@code i} in {@code [firstIndex() - 1, lastIndex()]}.
   *
   * @throws StorageException.Compacted below that range
   * @throws StorageException.Unavailable above it
   */
  long term(long i);

  long lastIndex();

  long firstIndex();

  /**
   * The most recent snapshot.
   *
   * @throws StorageException.SnapshotTemporarilyUnavailable when it is being made
   */
  Snapshot snapshot();

  /** What {@link #initialState()} returns. */
  record InitialState(HardState hardState, ConfState confState) {}
}

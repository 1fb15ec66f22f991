package io.ordo.raft;

import com.google.protobuf.ByteString;
import io.ordo.raft.pb.ConfState;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.HardState;
import io.ordo.raft.pb.Snapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Storage} held in memory, as etcd raft's {@code MemoryStorage}: the application appends
 * what it persisted elsewhere (a WAL) and raft reads from here. Methods are synchronized because an
 * application may take snapshots or compact from another thread than the one driving raft.
 */
public final class MemoryStorage implements Storage {
  private HardState hardState = Messages.EMPTY_HARD_STATE;
  private Snapshot snapshot = Messages.EMPTY_SNAPSHOT;
  // entries.get(0) is a dummy whose index and term are the snapshot's.
  private ArrayList<Entry> entries = new ArrayList<>();

  public MemoryStorage() {
    entries.add(Messages.entry(0, 0));
  }

  @Override
  public synchronized InitialState initialState() {
    return new InitialState(hardState, snapshot.getMetadata().getConfState());
  }

  /**
   * Sets the membership of an empty storage without a snapshot, as etcd's tests do; production
   * nodes start with {@link RawNode#bootstrap} or a snapshot instead.
   */
  synchronized void initConfState(ConfState cs) {
    if (lastIndexLocked() != 0) {
      throw new IllegalStateException("initConfState needs an empty storage");
    }
    snapshot = Messages.snapshot(null, cs, 0, 0);
  }

  public synchronized void setHardState(HardState hs) {
    this.hardState = hs;
  }

  public synchronized HardState hardState() {
    return hardState;
  }

  @Override
  public synchronized List<Entry> entries(long lo, long hi, long maxSize) {
    long offset = offset();
    if (lo <= offset) {
      throw new StorageException.Compacted(lo, offset + 1);
    }
    if (hi > lastIndexLocked() + 1) {
      throw new StorageException.Unavailable(hi - 1, lastIndexLocked());
    }
    // only the dummy entry
    if (entries.size() == 1) {
      throw new StorageException.Unavailable(lo, lastIndexLocked());
    }
    return Entries.limitSize(
        List.copyOf(entries.subList((int) (lo - offset), (int) (hi - offset))), maxSize);
  }

  @Override
  public synchronized long term(long i) {
    long offset = offset();
    if (i < offset) {
      throw new StorageException.Compacted(i, offset + 1);
    }
    if (i - offset >= entries.size()) {
      throw new StorageException.Unavailable(i, lastIndexLocked());
    }
    return entries.get((int) (i - offset)).getTerm();
  }

  @Override
  public synchronized long lastIndex() {
    return lastIndexLocked();
  }

  @Override
  public synchronized long firstIndex() {
    return offset() + 1;
  }

  @Override
  public synchronized Snapshot snapshot() {
    return snapshot;
  }

  /** Replaces the whole content with a snapshot received from the leader. */
  public synchronized void applySnapshot(Snapshot snap) {
    long held = snapshot.getMetadata().getIndex();
    long offered = snap.getMetadata().getIndex();
    if (held >= offered) {
      throw new StorageException.SnapshotOutOfDate(offered, held);
    }
    snapshot = snap;
    entries = new ArrayList<>();
    entries.add(Messages.entry(snap.getMetadata().getTerm(), offered));
  }

  /**
   * Makes a snapshot at index {@code i} (at most the last index) with the given conf state and
   * data, for {@link #compact} to follow.
   */
  public synchronized Snapshot createSnapshot(long i, ConfState cs, ByteString data) {
    long held = snapshot.getMetadata().getIndex();
    if (i <= held) {
      throw new StorageException.SnapshotOutOfDate(i, held);
    }
    long offset = offset();
    if (i > lastIndexLocked()) {
      throw new IllegalArgumentException(
          "snapshot index " + i + " is out of bound lastindex(" + lastIndexLocked() + ")");
    }
    ConfState conf = cs != null ? cs : snapshot.getMetadata().getConfState();
    snapshot = Messages.snapshot(data, conf, i, entries.get((int) (i - offset)).getTerm());
    return snapshot;
  }

  /** Discards entries before {@code compactIndex}; the entry at it becomes the new dummy. */
  public synchronized void compact(long compactIndex) {
    long offset = offset();
    if (compactIndex <= offset) {
      throw new StorageException.Compacted(compactIndex, offset + 1);
    }
    if (compactIndex > lastIndexLocked()) {
      throw new IllegalArgumentException(
          "compact " + compactIndex + " is out of bound lastindex(" + lastIndexLocked() + ")");
    }
    int i = (int) (compactIndex - offset);
    Entry head = entries.get(i);
    ArrayList<Entry> kept = new ArrayList<>(entries.size() - i);
    kept.add(Messages.entry(head.getTerm(), head.getIndex()));
    kept.addAll(entries.subList(i + 1, entries.size()));
    entries = kept;
  }

  /**
   * Appends entries that the application has persisted. Entries at or below the current last index
   * replace that suffix, as raft overwrites a follower's uncommitted conflicting tail; entries
   * already compacted away are skipped.
   */
  public synchronized void append(List<Entry> ents) {
    if (ents.isEmpty()) {
      return;
    }
    long first = offset() + 1;
    long last = ents.get(0).getIndex() + ents.size() - 1;
    if (last < first) {
      return;
    }
    List<Entry> toAppend = ents;
    if (first > ents.get(0).getIndex()) {
      toAppend = ents.subList((int) (first - ents.get(0).getIndex()), ents.size());
    }
    long offset = toAppend.get(0).getIndex() - offset();
    if (offset > entries.size()) {
      throw new IllegalStateException(
          "missing log entry [last: "
              + lastIndexLocked()
              + ", append at: "
              + toAppend.get(0).getIndex()
              + "]");
    }
    if (offset < entries.size()) {
      entries.subList((int) offset, entries.size()).clear();
    }
    entries.addAll(toAppend);
  }

  private long offset() {
    return entries.get(0).getIndex();
  }

  private long lastIndexLocked() {
    return offset() + entries.size() - 1;
  }
}

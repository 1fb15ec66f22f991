package io.ordo.raft;

import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.Snapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * The raft log as one sequence: the application's stable {@link Storage} followed by the {@link
 * UnstableLog} tail, with the commit and apply cursors (etcd raft's {@code raftLog}).
 *
 * <p>Invariant: {@code applied <= committed <= lastIndex()}, and {@code firstIndex() - 1 <=
 * applied}.
 */
final class RaftLog {
  private final Storage storage;
  private final UnstableLog unstable;
  private final long maxNextEntsSize;
  private long committed;
  private long applied;

  RaftLog(Storage storage, long maxNextEntsSize) {
    this.storage = storage;
    this.maxNextEntsSize = maxNextEntsSize;
    long firstIndex = storage.firstIndex();
    long lastIndex = storage.lastIndex();
    this.unstable = new UnstableLog(lastIndex + 1);
    // Initialize our committed and applied pointers to the time of the last compaction.
    this.committed = firstIndex - 1;
    this.applied = firstIndex - 1;
  }

  Storage storage() {
    return storage;
  }

  UnstableLog unstable() {
    return unstable;
  }

  long committed() {
    return committed;
  }

  long applied() {
    return applied;
  }

  /** Used by bootstrap and when loading a HardState. */
  void setCommitted(long committed) {
    this.committed = committed;
  }

  /**
   * Appends {@code ents} after {@code (index, logTerm)} if that entry matches, truncating any
   * conflicting suffix. Returns the index of the last new entry, or -1 when the log does not match.
   */
  long maybeAppend(long index, long logTerm, long commit, List<Entry> ents) {
    if (!matchTerm(index, logTerm)) {
      return -1;
    }
    long lastNewIndex = index + ents.size();
    long ci = findConflict(ents);
    if (ci != 0) {
      if (ci <= committed) {
        throw new IllegalStateException(
            "entry " + ci + " conflict with committed entry [committed(" + committed + ")]");
      }
      long offset = index + 1;
      append(ents.subList((int) (ci - offset), ents.size()));
    }
    commitTo(Math.min(commit, lastNewIndex));
    return lastNewIndex;
  }

  long append(List<Entry> ents) {
    if (ents.isEmpty()) {
      return lastIndex();
    }
    long after = ents.get(0).getIndex() - 1;
    if (after < committed) {
      throw new IllegalStateException(
          "after(" + after + ") is out of range [committed(" + committed + ")]");
    }
    unstable.truncateAndAppend(ents);
    return lastIndex();
  }

  /**
   * The index of the first entry in {@code ents} whose term differs from the log's (or that the log
   * lacks), or 0 when all of them are already there.
   */
  long findConflict(List<Entry> ents) {
    for (Entry ne : ents) {
      if (!matchTerm(ne.getIndex(), ne.getTerm())) {
        return ne.getIndex();
      }
    }
    return 0;
  }

  /**
   * The largest index {@code <= index} whose term is at most {@code term}: the fast-backtracking
   * probe (etcd v3.5's {@code findConflictByTerm}). Stops where terms are no longer known.
   */
  long findConflictByTerm(long index, long term) {
    long li = lastIndex();
    if (index > li) {
      // NB: such calls should not exist, but since there is a straightforward way to recover,
      // do it.
      return index;
    }
    while (true) {
      long logTerm = termOrError(index);
      if (logTerm < 0 || logTerm <= term) {
        break;
      }
      index--;
    }
    return index;
  }

  List<Entry> unstableEntries() {
    List<Entry> ents = unstable.entries();
    return ents.isEmpty() ? List.of() : List.copyOf(ents);
  }

  boolean hasUnstableEntries() {
    return !unstable.entries().isEmpty();
  }

  /** Committed entries ready to apply, limited by {@code maxNextEntsSize}. */
  List<Entry> nextEnts() {
    long off = Math.max(applied + 1, firstIndex());
    if (committed + 1 > off) {
      return slice(off, committed + 1, maxNextEntsSize);
    }
    return List.of();
  }

  boolean hasNextEnts() {
    long off = Math.max(applied + 1, firstIndex());
    return committed + 1 > off;
  }

  boolean hasPendingSnapshot() {
    Snapshot s = unstable.snapshot();
    return s != null && !Messages.isEmptySnapshot(s);
  }

  Snapshot snapshot() {
    Snapshot s = unstable.snapshot();
    return s != null ? s : storage.snapshot();
  }

  long firstIndex() {
    long i = unstable.maybeFirstIndex();
    return i >= 0 ? i : storage.firstIndex();
  }

  long lastIndex() {
    long i = unstable.maybeLastIndex();
    return i >= 0 ? i : storage.lastIndex();
  }

  void commitTo(long toCommit) {
    // never decrease commit
    if (committed < toCommit) {
      long last = lastIndex();
      if (last < toCommit) {
        throw new IllegalStateException(
            "tocommit("
                + toCommit
                + ") is out of range [lastIndex("
                + last
                + ")]. Was the raft log corrupted, truncated, or lost?");
      }
      committed = toCommit;
    }
  }

  void appliedTo(long i) {
    if (i == 0) {
      return;
    }
    if (committed < i || i < applied) {
      throw new IllegalStateException(
          "applied("
              + i
              + ") is out of range [prevApplied("
              + applied
              + "), committed("
              + committed
              + ")]");
    }
    applied = i;
  }

  void stableTo(long i, long t) {
    unstable.stableTo(i, t);
  }

  void stableSnapTo(long i) {
    unstable.stableSnapTo(i);
  }

  long lastTerm() {
    long t = termOrError(lastIndex());
    if (t < 0) {
      throw new IllegalStateException("unexpected error when getting the last term");
    }
    return t;
  }

  /**
   * The term of entry {@code i}: 0 outside {@code [firstIndex()-1, lastIndex()]}.
   *
   * @throws StorageException.Compacted or {@link StorageException.Unavailable} from storage
   */
  long term(long i) {
    // the valid term range is [index of dummy entry, last index]
    long dummyIndex = firstIndex() - 1;
    if (i < dummyIndex || i > lastIndex()) {
      return 0;
    }
    long t = unstable.maybeTerm(i);
    if (t >= 0) {
      return t;
    }
    return storage.term(i);
  }

  /** Like {@link #term} but answers -1 where storage says compacted or unavailable. */
  long termOrError(long i) {
    try {
      return term(i);
    } catch (StorageException.Compacted | StorageException.Unavailable e) {
      return -1;
    }
  }

  /** etcd's {@code zeroTermOnErrCompacted(term(i))}. */
  long termOrZeroIfCompacted(long i) {
    try {
      return term(i);
    } catch (StorageException.Compacted e) {
      return 0;
    }
  }

  /**
   * Entries from {@code i} to the end, limited by {@code maxSize}.
   *
   * @throws StorageException.Compacted when {@code i} is compacted away
   */
  List<Entry> entries(long i, long maxSize) {
    if (i > lastIndex()) {
      return List.of();
    }
    return slice(i, lastIndex() + 1, maxSize);
  }

  List<Entry> allEntries() {
    while (true) {
      try {
        return entries(firstIndex(), Entries.NO_LIMIT);
      } catch (StorageException.Compacted e) {
        // try again if there was a racing compaction
      }
    }
  }

  /** Whether a log ending at {@code (lasti, term)} is at least as up to date as this one. */
  boolean isUpToDate(long lasti, long term) {
    long lastTerm = lastTerm();
    return term > lastTerm || (term == lastTerm && lasti >= lastIndex());
  }

  boolean matchTerm(long i, long term) {
    long t = termOrError(i);
    return t >= 0 && t == term;
  }

  boolean maybeCommit(long maxIndex, long term) {
    if (maxIndex > committed && termOrZeroIfCompacted(maxIndex) == term) {
      commitTo(maxIndex);
      return true;
    }
    return false;
  }

  void restore(Snapshot s) {
    committed = s.getMetadata().getIndex();
    unstable.restore(s);
  }

  /**
   * Entries in {@code [lo, hi)} from storage and the unstable tail, limited by {@code maxSize}.
   *
   * @throws StorageException.Compacted when {@code lo} is compacted away
   */
  List<Entry> slice(long lo, long hi, long maxSize) {
    checkOutOfBounds(lo, hi);
    if (lo == hi) {
      return List.of();
    }
    List<Entry> ents = null;
    long unstableOffset = unstable.offset();
    if (lo < unstableOffset) {
      long storedHi = Math.min(hi, unstableOffset);
      List<Entry> stored;
      try {
        stored = storage.entries(lo, storedHi, maxSize);
      } catch (StorageException.Unavailable e) {
        throw new IllegalStateException(
            "entries[" + lo + ":" + storedHi + ") is unavailable from storage", e);
      }
      // check if ents has reached the size limitation
      if (stored.size() < storedHi - lo) {
        return stored;
      }
      ents = stored;
    }
    if (hi > unstableOffset) {
      List<Entry> fromUnstable = unstable.slice(Math.max(lo, unstableOffset), hi);
      if (ents != null && !ents.isEmpty()) {
        List<Entry> combined = new ArrayList<>(ents.size() + fromUnstable.size());
        combined.addAll(ents);
        combined.addAll(fromUnstable);
        ents = combined;
      } else {
        ents = fromUnstable;
      }
    }
    return Entries.limitSize(ents, maxSize);
  }

  private void checkOutOfBounds(long lo, long hi) {
    if (lo > hi) {
      throw new IllegalStateException("invalid slice " + lo + " > " + hi);
    }
    long fi = firstIndex();
    if (lo < fi) {
      throw new StorageException.Compacted(lo, fi);
    }
    long length = lastIndex() + 1 - fi;
    if (hi > fi + length) {
      throw new IllegalStateException(
          "slice[" + lo + "," + hi + ") out of bound [" + fi + "," + lastIndex() + "]");
    }
  }

  @Override
  public String toString() {
    return "committed="
        + committed
        + ", applied="
        + applied
        + ", unstable.offset="
        + unstable.offset()
        + ", len(unstable.Entries)="
        + unstable.entries().size();
  }
}

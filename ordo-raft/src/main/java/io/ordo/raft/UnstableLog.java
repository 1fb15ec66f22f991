package io.ordo.raft;

import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.Snapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Entries and a snapshot that raft holds but the application has not yet persisted (etcd raft's
 * {@code unstable}). {@code entries.get(i)} has index {@code offset + i}; the offset may be below
 * storage's last index when a leader overwrites a follower's conflicting tail.
 */
final class UnstableLog {
  private Snapshot snapshot;
  private final ArrayList<Entry> entries = new ArrayList<>();
  private long offset;

  UnstableLog(long offset) {
    this.offset = offset;
  }

  long offset() {
    return offset;
  }

  Snapshot snapshot() {
    return snapshot;
  }

  List<Entry> entries() {
    return entries;
  }

  /** The first index, if a snapshot is held; otherwise -1 (storage knows it). */
  long maybeFirstIndex() {
    return snapshot != null ? snapshot.getMetadata().getIndex() + 1 : -1;
  }

  /** The last index held here, or -1 when there is neither entry nor snapshot. */
  long maybeLastIndex() {
    if (!entries.isEmpty()) {
      return offset + entries.size() - 1;
    }
    return snapshot != null ? snapshot.getMetadata().getIndex() : -1;
  }

  /** The term of entry {@code i} if this log knows it, otherwise -1. */
  long maybeTerm(long i) {
    if (i < offset) {
      if (snapshot != null && snapshot.getMetadata().getIndex() == i) {
        return snapshot.getMetadata().getTerm();
      }
      return -1;
    }
    long last = maybeLastIndex();
    if (last < 0 || i > last) {
      return -1;
    }
    return entries.get((int) (i - offset)).getTerm();
  }

  /** Entries up to {@code (i, t)} are persisted: drop them, unless they were overwritten since. */
  void stableTo(long i, long t) {
    long gt = maybeTerm(i);
    if (gt < 0) {
      return;
    }
    // Only drop when the term matches and the index is an entry here: if the term differs the entry
    // was replaced by a newer leader's one after the application took the Ready.
    if (gt == t && i >= offset) {
      entries.subList(0, (int) (i + 1 - offset)).clear();
      offset = i + 1;
    }
  }

  void stableSnapTo(long i) {
    if (snapshot != null && snapshot.getMetadata().getIndex() == i) {
      snapshot = null;
    }
  }

  void restore(Snapshot s) {
    offset = s.getMetadata().getIndex() + 1;
    entries.clear();
    snapshot = s;
  }

  void truncateAndAppend(List<Entry> ents) {
    long after = ents.get(0).getIndex();
    if (after == offset + entries.size()) {
      // after is the next index in the entries: append directly
      entries.addAll(ents);
    } else if (after <= offset) {
      // the log is being truncated to before our current offset: replace everything
      offset = after;
      entries.clear();
      entries.addAll(ents);
    } else {
      // truncate to after and copy to a new list
      checkBounds(offset, after);
      entries.subList((int) (after - offset), entries.size()).clear();
      entries.addAll(ents);
    }
  }

  /** A copy of the entries in {@code [lo, hi)}. */
  List<Entry> slice(long lo, long hi) {
    checkBounds(lo, hi);
    return new ArrayList<>(entries.subList((int) (lo - offset), (int) (hi - offset)));
  }

  private void checkBounds(long lo, long hi) {
    if (lo > hi) {
      throw new IllegalStateException("invalid unstable.slice " + lo + " > " + hi);
    }
    long upper = offset + entries.size();
    if (lo < offset || hi > upper) {
      throw new IllegalStateException(
          "unstable.slice[" + lo + "," + hi + ") out of bound [" + offset + "," + upper + "]");
    }
  }
}

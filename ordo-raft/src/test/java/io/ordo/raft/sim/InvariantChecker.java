package io.ordo.raft.sim;

import com.google.protobuf.ByteString;
import io.ordo.raft.Entries;
import io.ordo.raft.MemoryStorage;
import io.ordo.raft.RawNodeProbe;
import io.ordo.raft.Ready;
import io.ordo.raft.StateType;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.Snapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Raft's safety properties, checked incrementally as a run goes: election safety, log matching,
 * committed entries never change, every node applies a prefix of one sequence, and only proposed
 * data is applied, each proposal at most once.
 *
 * <p>Log matching is checked by induction: every entry a node persists is recorded under its
 * (index, term) together with the term of the entry before it in that node's log. Two entries with
 * the same index and term must be equal and follow the same term, so (inductively) the same prefix.
 */
final class InvariantChecker {
  private record IndexTerm(long index, long term) {}

  private record Held(Entry entry, long prevTerm, long heldBy) {}

  private final Map<Long, Long> leaderByTerm = new HashMap<>();
  private final Map<IndexTerm, Held> held = new HashMap<>();
  private final List<Entry> committed = new ArrayList<>(); // committed.get(i) is entry i, or null
  private final List<ByteString> appliedSequence = new ArrayList<>();
  private final Map<ByteString, Integer> positionInSequence = new HashMap<>();
  private final Map<ByteString, Boolean> proposals = new HashMap<>();

  /** Data handed to a propose call (whether or not raft took it). */
  void proposed(ByteString data) {
    if (proposals.put(data, Boolean.TRUE) != null) {
      throw new IllegalStateException("the workload proposed " + data.toStringUtf8() + " twice");
    }
  }

  /** Election safety: at most one leader per term, over the whole run. */
  void checkLeaders(Collection<SimNode> nodes) {
    for (SimNode n : nodes) {
      if (n.isUp() && RawNodeProbe.state(n.raw()) == StateType.LEADER) {
        long term = RawNodeProbe.term(n.raw());
        Long previous = leaderByTerm.putIfAbsent(term, n.id);
        if (previous != null && previous != n.id) {
          throw new InvariantViolation(
              "election safety: nodes " + previous + " and " + n.id + " both led term " + term);
        }
      }
    }
  }

  /** After a node persisted a Ready: log matching for its new entries, its committed prefix. */
  void afterPersist(SimNode n, Ready rd) {
    List<Entry> ents = rd.entries();
    if (!ents.isEmpty()) {
      long prevTerm = termOrUnknown(n.storage(), ents.get(0).getIndex() - 1);
      for (Entry e : ents) {
        recordHeld(n.id, e, prevTerm);
        prevTerm = e.getTerm();
      }
    }
    if (rd.hasSnapshot()) {
      Snapshot s = rd.snapshot();
      long index = s.getMetadata().getIndex();
      Entry known = committedAt(index);
      if (known != null && known.getTerm() != s.getMetadata().getTerm()) {
        throw new InvariantViolation(
            "committed entries never change: node "
                + n.id
                + " installed a snapshot at "
                + index
                + " of term "
                + s.getMetadata().getTerm()
                + " but the entry committed there has term "
                + known.getTerm());
      }
      n.checkedCommit(Math.max(n.checkedCommit(), index));
    }
    checkCommittedPrefix(n);
  }

  /** After a restart: the entries on disk take part in log matching too. */
  void afterRestart(SimNode n) {
    MemoryStorage s = n.storage();
    if (s.lastIndex() >= s.firstIndex()) {
      List<Entry> ents = s.entries(s.firstIndex(), s.lastIndex() + 1, Entries.NO_LIMIT);
      long prevTerm = termOrUnknown(s, s.firstIndex() - 1);
      for (Entry e : ents) {
        recordHeld(n.id, e, prevTerm);
        prevTerm = e.getTerm();
      }
    }
    checkCommittedPrefix(n);
  }

  private void recordHeld(long nodeId, Entry e, long prevTerm) {
    IndexTerm key = new IndexTerm(e.getIndex(), e.getTerm());
    Held before = held.get(key);
    if (before == null || (before.prevTerm() < 0 && prevTerm >= 0)) {
      held.put(key, new Held(e, prevTerm, nodeId));
      if (before == null) {
        return;
      }
    }
    if (!before.entry().equals(e)) {
      throw new InvariantViolation(
          "log matching: nodes "
              + before.heldBy()
              + " and "
              + nodeId
              + " hold different entries at index "
              + e.getIndex()
              + " term "
              + e.getTerm());
    }
    if (before.prevTerm() >= 0 && prevTerm >= 0 && before.prevTerm() != prevTerm) {
      throw new InvariantViolation(
          "log matching: nodes "
              + before.heldBy()
              + " and "
              + nodeId
              + " hold entry (index "
              + e.getIndex()
              + ", term "
              + e.getTerm()
              + ") after entries of terms "
              + before.prevTerm()
              + " and "
              + prevTerm);
    }
  }

  /** Every entry up to the node's commit index equals what was ever committed there. */
  private void checkCommittedPrefix(SimNode n) {
    long commit = RawNodeProbe.committed(n.raw());
    long from = Math.max(n.checkedCommit() + 1, n.storage().firstIndex());
    if (commit < from) {
      n.checkedCommit(Math.max(n.checkedCommit(), commit));
      return;
    }
    for (Entry e : n.storage().entries(from, commit + 1, Entries.NO_LIMIT)) {
      checkCommitted(n.id, e);
    }
    n.checkedCommit(commit);
  }

  private void checkCommitted(long nodeId, Entry e) {
    int index = Math.toIntExact(e.getIndex());
    while (committed.size() <= index) {
      committed.add(null);
    }
    Entry before = committed.get(index);
    if (before == null) {
      committed.set(index, e);
    } else if (!before.equals(e)) {
      throw new InvariantViolation(
          "committed entries never change: node "
              + nodeId
              + " has committed "
              + describe(e)
              + " where "
              + describe(before)
              + " was committed");
    }
  }

  private Entry committedAt(long index) {
    return index < committed.size() ? committed.get((int) index) : null;
  }

  /** A node is about to apply {@code e}: in order, committed, and (for data) the next in line. */
  void beforeApply(SimNode n, Entry e) {
    long expected = n.state().appliedIndex() + 1;
    if (e.getIndex() != expected) {
      throw new InvariantViolation(
          "apply in order: node " + n.id + " was handed " + e.getIndex() + ", not " + expected);
    }
    checkCommitted(n.id, e);
    if (e.getType() != io.ordo.raft.pb.EntryType.EntryNormal || e.getData().isEmpty()) {
      return;
    }
    ByteString data = e.getData();
    int position = n.state().size();
    if (position < appliedSequence.size()) {
      if (!appliedSequence.get(position).equals(data)) {
        throw new InvariantViolation(
            "one applied sequence: node "
                + n.id
                + " applies "
                + data.toStringUtf8()
                + " at position "
                + position
                + " where others applied "
                + appliedSequence.get(position).toStringUtf8());
      }
      return;
    }
    if (!proposals.containsKey(data)) {
      throw new InvariantViolation(
          "only proposed data is applied: node " + n.id + " applies " + data.toStringUtf8());
    }
    if (positionInSequence.containsKey(data)) {
      throw new InvariantViolation(
          "each proposal applied at most once: node "
              + n.id
              + " applies "
              + data.toStringUtf8()
              + " again at position "
              + position
              + " (first at "
              + positionInSequence.get(data)
              + ")");
    }
    appliedSequence.add(data);
    positionInSequence.put(data, position);
  }

  /** A node replaced its applied state by a snapshot's: that state must be a prefix too. */
  void afterSnapshotInstalled(SimNode n, Snapshot s) {
    List<ByteString> payloads = n.state().payloads();
    if (payloads.size() > appliedSequence.size()) {
      throw new InvariantViolation(
          "one applied sequence: node "
              + n.id
              + " installed a snapshot holding "
              + payloads.size()
              + " payloads, more than were ever applied ("
              + appliedSequence.size()
              + ")");
    }
    for (int i = 0; i < payloads.size(); i++) {
      if (!payloads.get(i).equals(appliedSequence.get(i))) {
        throw new InvariantViolation(
            "one applied sequence: node "
                + n.id
                + " installed a snapshot at "
                + s.getMetadata().getIndex()
                + " that differs at position "
                + i);
      }
    }
  }

  /** Whether {@code data} has been applied by {@code n}. */
  boolean isApplied(SimNode n, ByteString data) {
    Integer position = positionInSequence.get(data);
    return position != null && n.isUp() && n.state().size() > position;
  }

  /** At the end of a run: every node's committed log, whole, against what was committed. */
  void finalSweep(Collection<SimNode> nodes) {
    for (SimNode n : nodes) {
      if (n.isUp()) {
        n.checkedCommit(n.storage().firstIndex() - 1);
        checkCommittedPrefix(n);
      }
    }
  }

  int appliedCount() {
    return appliedSequence.size();
  }

  int termsWithLeader() {
    return leaderByTerm.size();
  }

  private static long termOrUnknown(MemoryStorage s, long index) {
    if (index < s.firstIndex() - 1 || index > s.lastIndex()) {
      return -1;
    }
    return s.term(index);
  }

  private static String describe(Entry e) {
    return "(index "
        + e.getIndex()
        + ", term "
        + e.getTerm()
        + ", "
        + e.getType()
        + ", "
        + e.getData().size()
        + " bytes)";
  }
}

package io.ordo.raft;

import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.HardState;
import io.ordo.raft.pb.Message;
import io.ordo.raft.pb.Snapshot;
import java.util.List;

/**
 * What a node asks the application to do, all at once (etcd raft's {@code Ready}). The contract, in
 * this order:
 *
 * <ol>
 *   <li>persist {@link #hardState} (unless empty), {@link #entries} and {@link #snapshot} (unless
 *       empty) to stable storage, with an fsync when {@link #mustSync}, and append them to the
 *       {@link Storage} the node reads;
 *   <li>send {@link #messages} — only after step 1, since they may promise what step 1 persists (a
 *       vote, an acknowledged entry);
 *   <li>apply {@link #committedEntries} in order (and the snapshot, if any), calling {@link
 *       RawNode#applyConfChange} for conf-change entries;
 *   <li>call {@link RawNode#advance} with this Ready.
 * </ol>
 *
 * @param softState the leader and role, or null when unchanged since the previous Ready
 * @param hardState term, vote and commit to persist; {@link Messages#EMPTY_HARD_STATE} when
 *     unchanged
 * @param readStates answers to read-index requests
 * @param entries entries to persist before sending messages
 * @param snapshot a snapshot to persist and apply; {@link Messages#EMPTY_SNAPSHOT} when none
 * @param committedEntries entries to apply, already persisted earlier
 * @param messages messages to send once entries and hard state are durable
 * @param mustSync whether the hard state and entries must be fsynced (false for a commit-only
 *     change)
 */
public record Ready(
    SoftState softState,
    HardState hardState,
    List<ReadState> readStates,
    List<Entry> entries,
    Snapshot snapshot,
    List<Entry> committedEntries,
    List<Message> messages,
    boolean mustSync) {

  public boolean hasSoftState() {
    return softState != null;
  }

  public boolean hasHardState() {
    return !Messages.isEmptyHardState(hardState);
  }

  public boolean hasSnapshot() {
    return !Messages.isEmptySnapshot(snapshot);
  }

  /** Whether there is anything to do at all. */
  public boolean containsUpdates() {
    return softState != null
        || hasHardState()
        || hasSnapshot()
        || !entries.isEmpty()
        || !committedEntries.isEmpty()
        || !messages.isEmpty()
        || !readStates.isEmpty();
  }

  /** The index the application will have applied after this Ready, or 0 if it applies nothing. */
  long appliedCursor() {
    int n = committedEntries.size();
    if (n > 0) {
      return committedEntries.get(n - 1).getIndex();
    }
    long index = snapshot.getMetadata().getIndex();
    return Math.max(index, 0);
  }

  /** etcd's {@code MustSync}: new entries, or a changed term or vote, need an fsync. */
  static boolean mustSync(HardState st, HardState prev, int entsNum) {
    // Persistent state on all servers: (Updated on stable storage before responding to RPCs)
    // currentTerm, votedFor, log entries[]
    return entsNum != 0 || st.getVote() != prev.getVote() || st.getTerm() != prev.getTerm();
  }
}

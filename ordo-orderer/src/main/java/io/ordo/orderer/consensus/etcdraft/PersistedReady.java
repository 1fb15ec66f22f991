package io.ordo.orderer.consensus.etcdraft;

import io.ordo.raft.SoftState;
import io.ordo.raft.pb.ConfState;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.Snapshot;
import java.util.List;

/**
 * What the raft node hands to the chain loop after persisting one Ready (what Fabric's node sends
 * on its {@code applyC}): committed entries, a new leader, a received snapshot.
 *
 * @param entries committed entries, in index order
 * @param soft the new leader and role, or null when unchanged
 * @param snapshot a snapshot received from the leader, or the empty snapshot
 * @param confState the configuration after {@code entries} (conf changes are applied by the node)
 * @param term the raft term when handed over; a leader tags its proposals with it
 * @param lastIndex the last index of the raft log when handed over
 */
public record PersistedReady(
    List<Entry> entries,
    SoftState soft,
    Snapshot snapshot,
    ConfState confState,
    long term,
    long lastIndex) {
  public PersistedReady {
    entries = List.copyOf(entries);
  }
}

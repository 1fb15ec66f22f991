package io.ordo.raft;

import io.ordo.raft.pb.ConfChange;
import io.ordo.raft.pb.ConfChangeV2;
import io.ordo.raft.pb.ConfState;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.EntryType;
import io.ordo.raft.pb.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * Handles the Ready of one node as an application does (persist to its MemoryStorage, apply
 * committed entries and conf changes, advance), keeping what went out for assertions.
 */
final class RawNodeHarness {
  final RawNode node;
  final MemoryStorage storage;
  final List<Message> sent = new ArrayList<>();
  final List<Entry> applied = new ArrayList<>();
  final List<ConfState> confStates = new ArrayList<>();

  RawNodeHarness(RawNode node, MemoryStorage storage) {
    this.node = node;
    this.storage = storage;
  }

  /** Handles Readies until there is none; returns how many. */
  int drain() {
    int n = 0;
    while (node.hasReady()) {
      handle(node.ready());
      if (++n > 1000) {
        throw new AssertionError("node never quiesced");
      }
    }
    return n;
  }

  void handle(Ready rd) {
    if (rd.hasSnapshot()) {
      storage.applySnapshot(rd.snapshot());
    }
    if (rd.hasHardState()) {
      storage.setHardState(rd.hardState());
    }
    storage.append(rd.entries());
    sent.addAll(rd.messages());
    for (Entry e : rd.committedEntries()) {
      applied.add(e);
      try {
        if (e.getType() == EntryType.EntryConfChange) {
          confStates.add(node.applyConfChange(ConfChange.parseFrom(e.getData())));
        } else if (e.getType() == EntryType.EntryConfChangeV2) {
          confStates.add(node.applyConfChange(ConfChangeV2.parseFrom(e.getData())));
        }
      } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
        throw new AssertionError(ex);
      }
    }
    node.advance(rd);
  }

  EntryType lastEntryType() {
    List<Entry> all = node.raft().raftLog.allEntries();
    return all.get(all.size() - 1).getType();
  }
}

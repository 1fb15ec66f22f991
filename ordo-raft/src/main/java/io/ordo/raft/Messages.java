package io.ordo.raft;

import com.google.protobuf.ByteString;
import io.ordo.raft.pb.ConfChange;
import io.ordo.raft.pb.ConfChangeType;
import io.ordo.raft.pb.ConfState;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.EntryType;
import io.ordo.raft.pb.HardState;
import io.ordo.raft.pb.Message;
import io.ordo.raft.pb.MessageType;
import io.ordo.raft.pb.Snapshot;
import io.ordo.raft.pb.SnapshotMetadata;

/**
 * Builders for raftpb values that encode exactly as etcd's gogo-protobuf code does.
 *
 * <p>etcd marks most raftpb fields {@code nullable=false}: its encoder writes them even when they
 * are zero. A proto2 Java message writes only the fields whose presence bit is set, so every such
 * field is set here explicitly. Go decoders accept either form; byte equality matters for the test
 * vectors and for message-size accounting.
 */
public final class Messages {
  /** The empty conf state as etcd writes it: only {@code auto_leave=false}. */
  public static final ConfState EMPTY_CONF_STATE =
      ConfState.newBuilder().setAutoLeave(false).build();

  /** The empty snapshot as etcd writes it inside every Message. */
  public static final Snapshot EMPTY_SNAPSHOT =
      Snapshot.newBuilder()
          .setMetadata(
              SnapshotMetadata.newBuilder()
                  .setConfState(EMPTY_CONF_STATE)
                  .setIndex(0)
                  .setTerm(0)
                  .build())
          .build();

  public static final HardState EMPTY_HARD_STATE = hardState(0, 0, 0);

  private static final Message TEMPLATE =
      Message.newBuilder()
          .setType(MessageType.MsgHup)
          .setTo(0)
          .setFrom(0)
          .setTerm(0)
          .setLogTerm(0)
          .setIndex(0)
          .setCommit(0)
          .setSnapshot(EMPTY_SNAPSHOT)
          .setReject(false)
          .setRejectHint(0)
          .build();

  private Messages() {}

  /** A message builder with every always-written field already present. */
  public static Message.Builder message(MessageType type) {
    return TEMPLATE.toBuilder().setType(type);
  }

  public static Message.Builder message(MessageType type, long to, long from, long term) {
    return TEMPLATE.toBuilder().setType(type).setTo(to).setFrom(from).setTerm(term);
  }

  /** An entry with no data field (etcd's {@code Data == nil}), such as a new leader's no-op. */
  public static Entry entry(long term, long index) {
    return Entry.newBuilder().setType(EntryType.EntryNormal).setTerm(term).setIndex(index).build();
  }

  public static Entry entry(long term, long index, EntryType type, ByteString data) {
    Entry.Builder b = Entry.newBuilder().setType(type).setTerm(term).setIndex(index);
    if (data != null) {
      b.setData(data);
    }
    return b.build();
  }

  /** A proposal entry: term and index are assigned by the leader when it appends it. */
  public static Entry proposal(ByteString data) {
    return entry(0, 0, EntryType.EntryNormal, data);
  }

  public static HardState hardState(long term, long vote, long commit) {
    return HardState.newBuilder().setTerm(term).setVote(vote).setCommit(commit).build();
  }

  public static Snapshot snapshot(ByteString data, ConfState confState, long index, long term) {
    Snapshot.Builder b =
        Snapshot.newBuilder()
            .setMetadata(
                SnapshotMetadata.newBuilder()
                    .setConfState(withAutoLeave(confState))
                    .setIndex(index)
                    .setTerm(term));
    if (data != null) {
      b.setData(data);
    }
    return b.build();
  }

  /** Sets {@code auto_leave} explicitly, as etcd always writes it. */
  public static ConfState withAutoLeave(ConfState cs) {
    return cs.hasAutoLeave() ? cs : cs.toBuilder().setAutoLeave(cs.getAutoLeave()).build();
  }

  /** A v1 conf change with every always-written field set (etcd writes ID, Type, NodeID). */
  public static ConfChange confChange(ConfChangeType type, long nodeId, ByteString context) {
    ConfChange.Builder b = ConfChange.newBuilder().setId(0).setType(type).setNodeId(nodeId);
    if (context != null) {
      b.setContext(context);
    }
    return b.build();
  }

  /** The same change with every always-written field present, for byte equality with etcd. */
  public static ConfChange normalized(ConfChange cc) {
    return cc.toBuilder().setId(cc.getId()).setType(cc.getType()).setNodeId(cc.getNodeId()).build();
  }

  /** etcd's {@code IsEmptySnap}: a snapshot whose metadata index is 0. */
  public static boolean isEmptySnapshot(Snapshot s) {
    return s == null || s.getMetadata().getIndex() == 0;
  }

  /** etcd's {@code IsEmptyHardState}. */
  public static boolean isEmptyHardState(HardState hs) {
    return hs == null || (hs.getTerm() == 0 && hs.getVote() == 0 && hs.getCommit() == 0);
  }

  /** The gogo {@code Size()} of an entry: what raft counts against MaxSizePerMsg. */
  public static long entrySize(Entry e) {
    return e.getSerializedSize();
  }
}

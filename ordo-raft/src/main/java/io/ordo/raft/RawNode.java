package io.ordo.raft;

import com.google.protobuf.ByteString;
import io.ordo.raft.confchange.ConfChanges;
import io.ordo.raft.pb.ConfChange;
import io.ordo.raft.pb.ConfChangeType;
import io.ordo.raft.pb.ConfChangeV2;
import io.ordo.raft.pb.ConfState;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.EntryType;
import io.ordo.raft.pb.HardState;
import io.ordo.raft.pb.Message;
import io.ordo.raft.pb.MessageType;
import io.ordo.raft.pb.Snapshot;
import io.ordo.raft.tracker.Progress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One raft node, driven by the application (etcd raft's {@code RawNode}). Not thread-safe: one
 * thread calls every method. Time enters only through {@link #tick}; messages through {@link
 * #step}; work leaves through {@link #ready}, which the application handles as {@link Ready} says
 * before calling {@link #advance}.
 */
public final class RawNode {
  private final Raft raft;
  private SoftState prevSoftState;
  private HardState prevHardState;

  public RawNode(Config config) {
    this.raft = new Raft(config.validate());
    this.prevSoftState = raft.softState();
    this.prevHardState = raft.hardState();
  }

  /**
   * Starts a brand-new cluster: this node becomes a follower at term 1 with one committed AddNode
   * entry per peer at indexes 1..n, exactly as etcd's {@code StartNode} does, so that every member
   * writes the same log. The entries and a HardState appear in the next Ready.
   *
   * @throws IllegalStateException when the storage is not empty
   */
  public void bootstrap(List<Peer> peers) {
    if (peers.isEmpty()) {
      throw new IllegalArgumentException("must provide at least one peer to bootstrap");
    }
    long lastIndex = raft.raftLog.storage().lastIndex();
    if (lastIndex != 0) {
      throw new IllegalStateException("can't bootstrap a nonempty Storage");
    }
    // We've faked out initial entries above, but nothing has been persisted. Start with an empty
    // HardState (thus the first Ready will emit a HardState update for the app to persist).
    prevHardState = Messages.EMPTY_HARD_STATE;
    raft.becomeFollower(1, Raft.NONE);
    List<Entry> ents = new ArrayList<>(peers.size());
    for (int i = 0; i < peers.size(); i++) {
      Peer peer = peers.get(i);
      ConfChange cc =
          Messages.confChange(ConfChangeType.ConfChangeAddNode, peer.id(), peer.context());
      ents.add(Messages.entry(1, i + 1, EntryType.EntryConfChange, cc.toByteString()));
    }
    raft.raftLog.append(ents);
    // Commit the entries without appending an empty entry or waiting for votes: every member
    // bootstraps with the same log.
    raft.raftLog.setCommitted(ents.size());
    for (Peer peer : peers) {
      raft.applyConfChange(
          ConfChanges.asV2(Messages.confChange(ConfChangeType.ConfChangeAddNode, peer.id(), null)));
    }
  }

  /** Advances the logical clock by one tick. */
  public void tick() {
    raft.tick();
  }

  /**
   * Advances the election clock without campaigning or heartbeating, for a node known to be idle
   * (etcd's {@code TickQuiesced}).
   */
  public void tickQuiesced() {
    raft.electionElapsed++;
  }

  /** Starts an election (with pre-vote when configured). */
  public void campaign() {
    raft.step(Messages.message(MessageType.MsgHup).build());
  }

  /**
   * Proposes data to be appended to the log.
   *
   * @throws ProposalDroppedException when this node cannot take it now
   */
  public void propose(ByteString data) {
    raft.step(
        Messages.message(MessageType.MsgProp)
            .setFrom(raft.id)
            .addEntries(Messages.proposal(data))
            .build());
  }

  /** Proposes several entries in one message; they are appended together or not at all. */
  public void propose(List<ByteString> data) {
    Message.Builder m = Messages.message(MessageType.MsgProp).setFrom(raft.id);
    for (ByteString d : data) {
      m.addEntries(Messages.proposal(d));
    }
    raft.step(m.build());
  }

  /** Proposes a (v1) configuration change, as Fabric does for consenter changes. */
  public void proposeConfChange(ConfChange cc) {
    Entry e =
        Messages.entry(0, 0, EntryType.EntryConfChange, Messages.normalized(cc).toByteString());
    raft.step(Messages.message(MessageType.MsgProp).addEntries(e).build());
  }

  /** Proposes a v2 configuration change (joint consensus when it needs one). */
  public void proposeConfChange(ConfChangeV2 cc) {
    Entry e = Messages.entry(0, 0, EntryType.EntryConfChangeV2, cc.toByteString());
    raft.step(Messages.message(MessageType.MsgProp).addEntries(e).build());
  }

  /** Applies a committed v1 configuration change; returns the new ConfState to persist. */
  public ConfState applyConfChange(ConfChange cc) {
    return raft.applyConfChange(ConfChanges.asV2(cc));
  }

  /** Applies a committed v2 configuration change; returns the new ConfState to persist. */
  public ConfState applyConfChange(ConfChangeV2 cc) {
    return raft.applyConfChange(cc);
  }

  /**
   * Steps a message received from a peer. Local message types and responses from unknown peers are
   * ignored (false), as etcd answers them with an error.
   *
   * @throws ProposalDroppedException for a MsgProp that this node cannot take
   */
  public boolean step(Message m) {
    if (isLocalMsg(m.getType())) {
      return false;
    }
    Progress pr = raft.prs.progress().get(m.getFrom());
    if (pr != null || !isResponseMsg(m.getType())) {
      raft.step(m);
      return true;
    }
    return false;
  }

  /** Whether {@link #ready} has anything to hand out. */
  public boolean hasReady() {
    if (!raft.softState().equals(prevSoftState)) {
      return true;
    }
    HardState hs = raft.hardState();
    if (!Messages.isEmptyHardState(hs) && !hs.equals(prevHardState)) {
      return true;
    }
    return raft.raftLog.hasPendingSnapshot()
        || !raft.msgs.isEmpty()
        || raft.raftLog.hasUnstableEntries()
        || raft.raftLog.hasNextEnts()
        || !raft.readStates.isEmpty();
  }

  /** The current work to do; the caller handles it and then calls {@link #advance}. */
  public Ready ready() {
    SoftState soft = raft.softState();
    HardState hard = raft.hardState();
    List<Entry> entries = raft.raftLog.unstableEntries();
    Snapshot snap = raft.raftLog.unstable().snapshot();
    Ready rd =
        new Ready(
            soft.equals(prevSoftState) ? null : soft,
            hard.equals(prevHardState) ? Messages.EMPTY_HARD_STATE : hard,
            raft.readStates.isEmpty() ? List.of() : List.copyOf(raft.readStates),
            entries,
            snap == null ? Messages.EMPTY_SNAPSHOT : snap,
            raft.raftLog.nextEnts(),
            raft.msgs.isEmpty() ? List.of() : raft.msgs,
            Ready.mustSync(hard, prevHardState, entries.size()));
    // accept the Ready: what it hands out is no longer pending here
    if (rd.softState() != null) {
      prevSoftState = rd.softState();
    }
    if (!raft.readStates.isEmpty()) {
      raft.readStates = new ArrayList<>();
    }
    if (!raft.msgs.isEmpty()) {
      raft.msgs = new ArrayList<>();
    }
    return rd;
  }

  /** The application has handled {@code rd}: persisted, sent and applied it. */
  public void advance(Ready rd) {
    if (!Messages.isEmptyHardState(rd.hardState())) {
      prevHardState = rd.hardState();
    }
    raft.advance(rd);
  }

  /** A copy of the node's state; a leader's includes each follower's progress. */
  public Status status() {
    Map<Long, ProgressStatus> progress = Map.of();
    if (raft.state == StateType.LEADER) {
      Map<Long, ProgressStatus> copy = new LinkedHashMap<>();
      raft.prs.visit(
          (id, pr) ->
              copy.put(
                  id,
                  new ProgressStatus(
                      pr.match(),
                      pr.next(),
                      pr.state(),
                      pr.probeSent(),
                      pr.pendingSnapshot(),
                      pr.recentActive(),
                      pr.isLearner(),
                      pr.inflights().count())));
      progress = Map.copyOf(copy);
    }
    return new Status(
        raft.id,
        raft.hardState(),
        raft.softState(),
        raft.raftLog.applied(),
        raft.leadTransferee,
        raft.prs.config(),
        progress);
  }

  /** Tells the leader that the last message to {@code id} could not be sent. */
  /**
   * Forgets a follower's current leader (etcd raft v3.6's {@code ForgetLeader}): it stays a
   * follower of the current term, without a leader and without campaigning. With pre-vote and
   * check-quorum, a follower grants no pre-vote while it has heard from a leader within an election
   * timeout; one that forgot its leader grants them at once, so when a quorum of followers have
   * good reason to believe the leader dead (its process gone, not merely silent) they can elect a
   * new one without waiting out the election timeout. A leader that is in fact alive keeps its
   * followers that did not forget it, and so its quorum. No effect on a node that is not a
   * follower, or with lease-based reads, whose safety rests on the lease.
   */
  public void forgetLeader() {
    raft.forgetLeader();
  }

  public void reportUnreachable(long id) {
    raft.step(Messages.message(MessageType.MsgUnreachable).setFrom(id).build());
  }

  /** Tells the leader how sending a snapshot to {@code id} ended. */
  public void reportSnapshot(long id, SnapshotStatus status) {
    raft.step(
        Messages.message(MessageType.MsgSnapStatus)
            .setFrom(id)
            .setReject(status == SnapshotStatus.FAILURE)
            .build());
  }

  /** Asks the leader to hand leadership to {@code transferee}. */
  public void transferLeader(long transferee) {
    raft.step(Messages.message(MessageType.MsgTransferLeader).setFrom(transferee).build());
  }

  /**
   * Requests a read index; the answer comes as a {@link ReadState} with the same context in a later
   * Ready. Only the context's bytes identify the request: make them unique.
   */
  public void readIndex(ByteString requestCtx) {
    raft.step(
        Messages.message(MessageType.MsgReadIndex)
            .addEntries(Messages.entry(0, 0, EntryType.EntryNormal, requestCtx))
            .build());
  }

  /** Whether this node may campaign (a voter with no pending snapshot). */
  public boolean promotable() {
    return raft.promotable();
  }

  static boolean isLocalMsg(MessageType t) {
    return t == MessageType.MsgHup
        || t == MessageType.MsgBeat
        || t == MessageType.MsgUnreachable
        || t == MessageType.MsgSnapStatus
        || t == MessageType.MsgCheckQuorum;
  }

  static boolean isResponseMsg(MessageType t) {
    return t == MessageType.MsgAppResp
        || t == MessageType.MsgVoteResp
        || t == MessageType.MsgHeartbeatResp
        || t == MessageType.MsgUnreachable
        || t == MessageType.MsgPreVoteResp;
  }

  // package-private access for white-box tests of the rules
  Raft raft() {
    return raft;
  }
}

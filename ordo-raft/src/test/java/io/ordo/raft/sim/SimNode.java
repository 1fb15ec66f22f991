package io.ordo.raft.sim;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.raft.Config;
import io.ordo.raft.Entries;
import io.ordo.raft.MemoryStorage;
import io.ordo.raft.Messages;
import io.ordo.raft.Peer;
import io.ordo.raft.RawNode;
import io.ordo.raft.Ready;
import io.ordo.raft.SnapshotStatus;
import io.ordo.raft.pb.ConfChange;
import io.ordo.raft.pb.ConfChangeV2;
import io.ordo.raft.pb.ConfState;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.Message;
import io.ordo.raft.pb.MessageType;
import io.ordo.raft.pb.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * One simulated orderer: a {@link RawNode} over a {@link MemoryStorage} it reads, a second {@link
 * MemoryStorage} standing for its disk, and its applied state.
 *
 * <p>Each Ready is persisted to disk and to the read storage before its messages are released
 * (Fabric's order). A crash throws away the RawNode, the read storage and the applied state; a
 * restart rebuilds the read storage from disk and restarts raft with {@code applied = 0}, so raft
 * hands out again every committed entry after the disk's snapshot and the node re-applies them onto
 * the snapshot's state: the applied state is durable only through snapshots.
 */
final class SimNode {
  /** What the node needs from the simulation while it handles a Ready. */
  interface Environment {
    SimNetwork.Outcome send(Message m);

    InvariantChecker checker();

    /** The current tick. */
    long now();

    /** A conf change was applied here: {@code before} is the membership it replaced. */
    void membershipApplied(SimNode node, ConfState before, ConfState after);
  }

  private static final int MAX_READIES_PER_STEP = 10_000;

  final long id;
  private final MemoryStorage disk = new MemoryStorage();
  private final Function<MemoryStorage, Config> configFactory;
  private MemoryStorage storage;
  private RawNode raw;
  private AppliedState state;
  private ConfState confState = Messages.EMPTY_CONF_STATE;
  private long checkedCommit;

  /** Quiescence: whether the node is quiet (not ticked), since when, and its last activity. */
  boolean quiet;

  long quietSince;
  long lastActivity;

  /** Quiescence: when each other node's pair heartbeat was last received. */
  final java.util.Map<Long, Long> pairHeard = new java.util.HashMap<>();

  private SimNode(long id, Function<MemoryStorage, Config> configFactory) {
    this.id = id;
    this.configFactory = configFactory;
  }

  /** A founding member: bootstraps the cluster's log with every founder. */
  static SimNode founder(long id, List<Peer> peers, Function<MemoryStorage, Config> configFactory) {
    SimNode n = new SimNode(id, configFactory);
    n.start();
    n.raw.bootstrap(peers);
    return n;
  }

  /** A member added by a conf change: starts empty and learns the log from the leader. */
  static SimNode joiner(long id, Function<MemoryStorage, Config> configFactory) {
    SimNode n = new SimNode(id, configFactory);
    n.start();
    return n;
  }

  boolean isUp() {
    return raw != null;
  }

  RawNode raw() {
    return raw;
  }

  MemoryStorage storage() {
    return storage;
  }

  AppliedState state() {
    return state;
  }

  ConfState confState() {
    return confState;
  }

  long checkedCommit() {
    return checkedCommit;
  }

  void checkedCommit(long index) {
    this.checkedCommit = index;
  }

  /** Rebuilds what the node reads from its disk and starts a new RawNode over it. */
  void start() {
    storage = new MemoryStorage();
    Snapshot snap = disk.snapshot();
    if (!Messages.isEmptySnapshot(snap)) {
      storage.applySnapshot(snap);
      state = AppliedState.fromSnapshot(snap.getData(), snap.getMetadata().getIndex());
      confState = snap.getMetadata().getConfState();
    } else {
      state = AppliedState.empty();
      confState = Messages.EMPTY_CONF_STATE;
    }
    storage.setHardState(disk.hardState());
    if (disk.lastIndex() >= disk.firstIndex()) {
      storage.append(disk.entries(disk.firstIndex(), disk.lastIndex() + 1, Entries.NO_LIMIT));
    }
    checkedCommit = state.appliedIndex();
    raw = new RawNode(configFactory.apply(storage));
    quiet = false;
    pairHeard.clear();
  }

  /** Loses everything not on disk. */
  void crash() {
    raw = null;
    storage = null;
    state = null;
  }

  /**
   * Crashes while persisting a Ready: the disk keeps a prefix of its entries (a torn write), the
   * hard state only if every entry made it, the snapshot all or nothing; no message leaves.
   */
  void crashWhilePersisting(SplittableRandom rng) {
    if (raw.hasReady()) {
      Ready rd = raw.ready();
      if (rd.hasSnapshot()) {
        if (rng.nextBoolean()) {
          persist(rd, disk);
        }
      } else {
        int kept = rng.nextInt(rd.entries().size() + 1);
        disk.append(rd.entries().subList(0, kept));
        if (kept == rd.entries().size() && rd.hasHardState() && rng.nextBoolean()) {
          disk.setHardState(rd.hardState());
        }
      }
    }
    crash();
  }

  /** Persists, sends, applies and advances until raft has nothing more to hand out. */
  void handleReadies(Environment env) {
    for (int i = 0; raw != null && raw.hasReady(); i++) {
      if (i == MAX_READIES_PER_STEP) {
        throw new IllegalStateException("node " + id + " never runs out of Ready");
      }
      handle(raw.ready(), env);
    }
  }

  private void handle(Ready rd, Environment env) {
    if (rd.softState() != null || !rd.entries().isEmpty() || !rd.committedEntries().isEmpty()) {
      lastActivity = env.now();
    }
    persist(rd, disk);
    persist(rd, storage);
    env.checker().afterPersist(this, rd);
    List<long[]> snapshotReports = new ArrayList<>();
    List<Long> unreachable = new ArrayList<>();
    for (Message m : rd.messages()) {
      SimNetwork.Outcome outcome = env.send(m);
      if (m.getType() == MessageType.MsgSnap) {
        snapshotReports.add(new long[] {m.getTo(), outcome == SimNetwork.Outcome.QUEUED ? 1 : 0});
      } else if (outcome == SimNetwork.Outcome.UNREACHABLE) {
        unreachable.add(m.getTo());
      }
    }
    apply(rd, env);
    raw.advance(rd);
    for (long[] report : snapshotReports) {
      raw.reportSnapshot(
          report[0], report[1] == 1 ? SnapshotStatus.FINISH : SnapshotStatus.FAILURE);
    }
    for (long to : unreachable) {
      raw.reportUnreachable(to);
    }
  }

  private static void persist(Ready rd, MemoryStorage target) {
    if (rd.hasSnapshot()) {
      target.applySnapshot(rd.snapshot());
    }
    target.append(rd.entries());
    if (rd.hasHardState()) {
      target.setHardState(rd.hardState());
    }
  }

  private void apply(Ready rd, Environment env) {
    if (rd.hasSnapshot()) {
      Snapshot snap = rd.snapshot();
      state = AppliedState.fromSnapshot(snap.getData(), snap.getMetadata().getIndex());
      confState = snap.getMetadata().getConfState();
      env.checker().afterSnapshotInstalled(this, snap);
    }
    boolean membersAdded = false;
    for (Entry e : rd.committedEntries()) {
      env.checker().beforeApply(this, e);
      switch (e.getType()) {
        case EntryNormal -> {
          if (!e.getData().isEmpty()) {
            state.add(e.getData());
          }
        }
        case EntryConfChange ->
            membersAdded |= applyMembership(raw.applyConfChange(parseV1(e)), env);
        case EntryConfChangeV2 ->
            membersAdded |= applyMembership(raw.applyConfChange(parseV2(e)), env);
        default -> throw new IllegalStateException("node " + id + ": unknown entry type " + e);
      }
      state.appliedIndex(e.getIndex());
    }
    if (membersAdded) {
      // A member that joins after the newest snapshot could not install it (raft ignores a
      // snapshot whose ConfState lacks the receiver), and would wait forever if the entries after
      // it are compacted: the application snapshots once it applied the change.
      snapshot();
    }
  }

  /** Applies a new membership; returns whether it added a member. */
  private boolean applyMembership(ConfState after, Environment env) {
    ConfState before = confState;
    confState = after;
    env.membershipApplied(this, before, after);
    return !ClusterSimulation.members(before).containsAll(ClusterSimulation.members(after));
  }

  /** Snapshots the applied state, unless the newest snapshot already holds it. */
  private long snapshot() {
    long applied = state.appliedIndex();
    long held = storage.snapshot().getMetadata().getIndex();
    if (applied > held) {
      var data = state.toSnapshotData();
      storage.createSnapshot(applied, confState, data);
      disk.createSnapshot(applied, confState, data);
    }
    return held;
  }

  /** Snapshots the applied state and compacts the log up to {@code keep} entries before it. */
  void snapshotAndCompact(int keep) {
    long held = snapshot();
    long applied = state.appliedIndex();
    long compactTo = Math.max(applied - keep, held + 1);
    if (applied > held && compactTo > storage.firstIndex() - 1) {
      storage.compact(compactTo);
      disk.compact(compactTo);
    }
  }

  private ConfChange parseV1(Entry e) {
    try {
      return ConfChange.parseFrom(e.getData());
    } catch (InvalidProtocolBufferException ex) {
      throw new IllegalStateException("node " + id + ": bad ConfChange at " + e.getIndex(), ex);
    }
  }

  private ConfChangeV2 parseV2(Entry e) {
    try {
      return ConfChangeV2.parseFrom(e.getData());
    } catch (InvalidProtocolBufferException ex) {
      throw new IllegalStateException("node " + id + ": bad ConfChangeV2 at " + e.getIndex(), ex);
    }
  }
}

package io.ordo.orderer.consensus.etcdraft;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.orderer.ops.ChannelLog;
import io.ordo.raft.Config;
import io.ordo.raft.Peer;
import io.ordo.raft.ProposalDroppedException;
import io.ordo.raft.Quiescence;
import io.ordo.raft.RawNode;
import io.ordo.raft.Ready;
import io.ordo.raft.SnapshotStatus;
import io.ordo.raft.StateType;
import io.ordo.raft.Status;
import io.ordo.raft.pb.ConfChange;
import io.ordo.raft.pb.ConfState;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.EntryType;
import io.ordo.raft.pb.Message;
import io.ordo.raft.pb.MessageType;
import io.ordo.storage.RaftStorage;
import io.ordo.storage.io.StorageIoException;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raft loop of one channel on its own thread (Fabric's etcdraft {@code node}): ticks at the
 * tick interval, steps received messages, proposes blocks, and for each Ready persists to the
 * {@link RaftStorage} (one fsync when raft says so), sends the messages, hands committed entries
 * and the soft state to the chain, then advances. The {@link RawNode} is touched by this thread
 * only.
 */
public final class Node {
  private static final Logger log = LoggerFactory.getLogger(Node.class);

  /** Received messages waiting to be stepped; beyond it they are dropped and raft retries. */
  private static final int INBOX_CAPACITY = 4096;

  /** The chain's side of the hand-off. */
  public interface Applier {
    /**
     * Hands committed entries over, blocking until the chain takes them (Fabric's unbuffered
     * applyC) or {@code running} turns false.
     *
     * @return false when the hand-off was abandoned because the node is stopping
     */
    boolean apply(PersistedReady ready, AtomicBoolean running);

    /** The raft loop died; the chain must halt. */
    void nodeFailed(Throwable cause);

    /** As leader, this node found a new stable set of active consenters (itself included). */
    default void activeNodes(List<Long> active) {}

    /**
     * Whether the chain has nothing to do: nothing queued, cut, proposed and unwritten, or handed
     * over and unapplied. Asked by a leader before it lets the channel go quiet.
     */
    default boolean idle() {
      return false;
    }

    /**
     * Whether consenter {@code id} said it quiesces idle channels (its messages carry the mark).
     */
    default boolean peerQuiesces(long id) {
      return false;
    }

    /**
     * The channel went quiet ({@code quiet}, and {@code reason} null) or woke up, for {@code
     * reason}.
     */
    default void quietChanged(boolean quiet, String reason) {}
  }

  /** A message from another consenter; {@code quiesce} when it came as a quiesce heartbeat. */
  private record Received(Message message, boolean quiesce) {}

  /**
   * Idle ticks (nothing proposed, appended or committed) a leader waits before it lets the channel
   * go quiet: CockroachDB waits 6; here a wake-up costs a few messages, and an idle channel should
   * stop costing soon.
   */
  static final int QUIESCE_AFTER_TICKS = 3;

  /** A quiet loop wakes on every event; this bounds a park all the same. */
  private static final long QUIET_PARK_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** A block, or a conf change when {@code confChange} is set. */
  private record Proposal(long term, ByteString block, ConfChange confChange) {}

  private record Snapshotting(long index, ConfState confState, ByteString data) {}

  private final String channel;
  private final Options options;
  private final RaftStorage storage;
  private final RaftTransport transport;
  private final Applier applier;
  private final RawNode raw;
  private final Queue<Received> inbox = new ArrayBlockingQueue<>(INBOX_CAPACITY);
  private final Queue<Proposal> proposals;
  private final Queue<Long> unreachable = new ArrayBlockingQueue<>(1024);
  private final AtomicBoolean running = new AtomicBoolean();

  /** Set by the first {@link #stop}: the loop is ended and the storage closed once. */
  private final AtomicBoolean stopped = new AtomicBoolean();

  private final AtomicBoolean snapshotPending = new AtomicBoolean();

  /** A leadership transfer asked for: {@link #ANY_FOLLOWER}, a raft ID, or 0 for none. */
  private final AtomicLong transferRequested = new AtomicLong();

  private static final long ANY_FOLLOWER = -1;

  /** A consenter whose process was seen gone, for the loop to check against the leader; 0 none. */
  private final AtomicLong goneProcess = new AtomicLong();

  /** When to campaign after forgetting a dead leader; 0 when not planned. Owned by the loop. */
  private long campaignAtNanos;

  /**
   * The term in which the dead leader was forgotten: a node whose term moved on since has voted in
   * the election another survivor started, and must not start one of its own over it.
   */
  private long campaignTerm;

  /**
   * When to look again at a fast-failover campaign that may have split the vote; 0 when none. Owned
   * by the loop.
   */
  private long splitCheckAtNanos;

  /** How many more times a split fast-failover campaign stands again before the timeout rules. */
  private int splitRetriesLeft;

  private final ActiveNodesTracker activeNodes = new ActiveNodesTracker();

  /** The channel is quiet: no ticks (so no heartbeats, no election timer) until woken. */
  private volatile boolean quiet;

  /** Why a quiet channel must wake, asked from outside (a silent peer); null for none. */
  private final AtomicReference<String> wakeRequest = new AtomicReference<>();

  /** A quiesce heartbeat left for after the Ready it arrived behind. Owned by the loop. */
  private Message deferredQuiesce;

  /** Ticks since anything was appended, committed or changed. Owned by the loop. */
  private int idleTicks;

  /** The last reason logged for not quiescing, so that each is logged once. Owned by the loop. */
  private String lastRefusal;

  /** When the next tick is due. Owned by the loop. */
  private long nextTick;

  private final long tickNanos;
  private volatile Snapshotting snapshotRequest;
  private volatile Thread thread;
  private final ConfState initialConfState;
  private long term;
  private final EtcdRaftMetrics metrics;

  /** The number of the block in the newest snapshot stored; 0 before the first. */
  private volatile long snapshotBlock;

  private StateType role = StateType.FOLLOWER;
  private long lead;

  /**
   * @param storage the channel's opened raft storage; the node closes it when it stops
   */
  public Node(
      String channel,
      Options options,
      RaftStorage storage,
      RaftTransport transport,
      Applier applier) {
    this(channel, options, storage, transport, applier, EtcdRaftMetrics.discarding(channel));
  }

  /** As above, timing each Ready's WAL save and noting stored snapshots in {@code metrics}. */
  public Node(
      String channel,
      Options options,
      RaftStorage storage,
      RaftTransport transport,
      Applier applier,
      EtcdRaftMetrics metrics) {
    this.metrics = metrics;
    this.channel = channel;
    this.options = options;
    this.storage = storage;
    this.transport = transport;
    this.applier = applier;
    // the chain proposes at most max_inflight_blocks blocks, plus the two one submit can cut
    this.proposals = new ArrayBlockingQueue<>(options.maxInflightBlocks() + 2);
    this.raw =
        new RawNode(
            Config.fabricDefaults(options.raftId(), storage)
                .electionTick(options.electionTick())
                .heartbeatTick(options.heartbeatTick())
                .maxInflightMsgs(options.maxInflightBlocks())
                .maxSizePerMsg(options.maxSizePerMsg())
                .recoverLostLog(true)
                .logger(new Slf4jRaftLogger(log, channel, options.raftId()))
                .build());
    this.tickNanos = options.tickInterval().toNanos();
    this.term = storage.hardState().getTerm();
    this.initialConfState = storage.initialState().confState();
    snapshotStored(storage.snapshot());
  }

  /** A snapshot was stored (taken, received or found at start); empty ones are ignored. */
  private void snapshotStored(io.ordo.raft.pb.Snapshot snapshot) {
    metrics.snapshotStored(snapshot);
    if (snapshot != null && !snapshot.getData().isEmpty()) {
      snapshotBlock = metrics.snapshotBlock();
    }
  }

  /** The number of the block in the newest snapshot stored; 0 before the first. */
  public long snapshotBlock() {
    return snapshotBlock;
  }

  /**
   * Starts the loop. A fresh node of a new channel bootstraps with all consenters and, if the
   * campaign rule picks it, campaigns until a leader is known; otherwise it resumes from storage
   * (etcd's RestartNode: no bootstrap, no campaign).
   *
   * @param fresh no WAL existed for the channel
   * @param join the node joins a channel that already has blocks (it learns the log from the
   *     leader)
   */
  public void start(boolean fresh, boolean join) {
    boolean campaign = false;
    if (fresh && !join) {
      raw.bootstrap(options.consenterIds().stream().map(Peer::of).toList());
      campaign =
          CampaignRule.campaigner(channel, options.consenterIds().size()) == options.raftId();
      ChannelLog.of(log, channel, options.raftId())
          .info(
              "starting raft node as part of a new channel{}",
              campaign ? "; this node campaigns first" : "");
    } else {
      ChannelLog.of(log, channel, options.raftId()).info("restarting raft node");
    }
    running.set(true);
    boolean campaignFirst = campaign;
    thread =
        Thread.ofPlatform()
            .name("raft-" + channel + "-" + options.raftId())
            .start(() -> run(campaignFirst));
  }

  /**
   * Stops the loop, waits for it, closes the storage. A loop that already ended on its own (a WAL
   * write failed on a full disk) still has its storage closed here: the chain is started again on
   * the same WAL once the disk has room.
   */
  public void stop() {
    running.set(false);
    if (thread == null || stopped.getAndSet(true)) {
      return;
    }
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      LockSupport.unpark(t);
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    storage.close();
  }

  /**
   * Two survivors that saw the dead leader's process go at nearly the same moment may both have
   * stood, each voting for itself: no leader then until the election timeout. A node still without
   * a leader, a step per rank after its campaign, stands again, so that the lowest-ranked survivor
   * goes first this time and the other, a step later, finds it standing.
   */
  private void standAgainIfSplit(long now) {
    // a lost vote leaves a candidate a follower without a leader: either way, none was elected
    if (lead != 0 || role == StateType.LEADER || splitRetriesLeft <= 0) {
      return;
    }
    splitRetriesLeft--;
    ChannelLog.of(log, channel, options.raftId())
        .info(
            "no leader since this node stood after its leader went (a split vote?); standing again");
    raw.campaign();
    splitCheckAtNanos = now + FailoverRank.splitCheckNanos(raw.status(), options);
  }

  /** The earlier of two nanoTime deadlines, 0 standing for none ({@code a} is never 0). */
  private static long earliest(long a, long b) {
    return b != 0 && b - a < 0 ? b : a;
  }

  /**
   * The process of consenter {@code id} is gone. If it is this follower's leader, the follower
   * forgets it and, unless a leader shows up first, campaigns after a delay set by its rank among
   * the other voters: with pre-vote and check-quorum this is safe, since a follower that still
   * hears a live leader grants no pre-vote, and the ranks keep the survivors from splitting the
   * vote.
   */
  public void leaderProcessGone(long id) {
    goneProcess.set(id);
    wake();
  }

  /** A message received from another consenter; dropped when the inbox is full. */
  public void step(Message message) {
    receive(new Received(message, false));
  }

  /**
   * A quiesce heartbeat from the leader (see {@link Quiescence}): the channel goes quiet if this
   * node agrees, else the heartbeat is stepped as a plain one, whose answer wakes the leader.
   */
  public void stepQuiesce(Message heartbeat) {
    receive(new Received(heartbeat, true));
  }

  /** Wakes the channel if it is quiet, for {@code reason} (a silent or lost peer). */
  public void wakeUp(String reason) {
    if (quiet) {
      wakeRequest.set(reason);
      wake();
    }
  }

  /** Whether the channel is quiet now. */
  public boolean quiet() {
    return quiet;
  }

  private void receive(Received received) {
    Message message = received.message();
    if (!inbox.offer(received)) {
      ChannelLog.of(log, channel, options.raftId())
          .debug("inbox full, dropping {} from {}", message.getType(), message.getFrom());
    }
    wake();
  }

  /**
   * Proposes a block as the leader of {@code term}; dropped if this node is no longer leader of
   * that term when the loop gets to it.
   */
  public void propose(long term, ByteString block) {
    if (!proposals.offer(new Proposal(term, block, null))) {
      throw new IllegalStateException(
          "channel " + channel + ": more blocks proposed than max_inflight_blocks allows");
    }
    wake();
  }

  /**
   * Proposes a conf change as the leader of {@code term} (one at a time: the chain pauses intake
   * while it is in flight, so the proposal queue has room for it).
   */
  public void proposeConfChange(long term, ConfChange confChange) {
    if (!proposals.offer(new Proposal(term, null, confChange))) {
      throw new IllegalStateException(
          "channel " + channel + ": no room to propose conf change " + confChange);
    }
    wake();
  }

  /**
   * Asks the raft loop to hand leadership to the most up-to-date active follower; the chain watches
   * the leader change.
   */
  public void transferLeadership() {
    transferRequested.set(ANY_FOLLOWER);
    wake();
  }

  /**
   * Asks the raft loop to hand leadership to consenter {@code to}. A follower passes the request to
   * its leader (raft forwards it), so that a node may ask for leadership itself, or an operator may
   * move it from any consenter; nothing happens while no leader is known.
   */
  public void transferLeadership(long to) {
    transferRequested.set(to);
    wake();
  }

  /** The transport could not reach {@code id}. */
  public void reportUnreachable(long id) {
    unreachable.offer(id);
    wake();
  }

  /**
   * Takes a snapshot at {@code index} with the block {@code data} on the node's thread; ignored
   * while another one is pending (Fabric: snapshot interval too small).
   *
   * @return false when one is already pending
   */
  public boolean takeSnapshot(long index, ConfState confState, ByteString data) {
    if (!snapshotPending.compareAndSet(false, true)) {
      return false;
    }
    snapshotRequest = new Snapshotting(index, confState, data);
    wake();
    return true;
  }

  private void wake() {
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  private void run(boolean campaign) {
    long campaignTicks = 2L * options.heartbeatTick();
    long ticksSinceCampaign = 0;
    // Fabric's campaigner first stands two heartbeat ticks after the join (a second at its
    // defaults). Nodes are joined with the campaigner last as a rule, so its peers already listen:
    // it stands as soon as its bootstrap configuration is applied (raft refuses a campaign
    // before), and again every two heartbeat ticks, as Fabric's does, while no leader is known.
    boolean campaignOnceBootstrapped = campaign;
    nextTick = System.nanoTime() + tickNanos;
    try {
      while (running.get()) {
        long now = System.nanoTime();
        if (!quiet && now - nextTick >= 0 && quiesceAsLeader()) {
          nextTick = Math.max(nextTick + tickNanos, now);
        } else if (!quiet && now - nextTick >= 0) {
          raw.tick();
          if (role == StateType.LEADER) {
            activeNodes.onTick(raw.status()).ifPresent(applier::activeNodes);
          } else {
            activeNodes.reset();
          }
          nextTick = Math.max(nextTick + tickNanos, now);
          if (campaign && ++ticksSinceCampaign >= campaignTicks) {
            ticksSinceCampaign = 0;
            raw.campaign();
          }
        }
        if (campaignAtNanos != 0 && now - campaignAtNanos >= 0) {
          campaignAtNanos = 0;
          if (lead == 0 && role == StateType.FOLLOWER && term == campaignTerm) {
            raw.campaign();
            splitRetriesLeft = FailoverRank.SPLIT_RETRIES;
            splitCheckAtNanos = now + FailoverRank.splitCheckNanos(raw.status(), options);
          }
        }
        if (splitCheckAtNanos != 0 && now - splitCheckAtNanos >= 0) {
          splitCheckAtNanos = 0;
          standAgainIfSplit(now);
        }
        drainCommands();
        if (raw.hasReady()) {
          Ready rd = raw.ready();
          if (!handle(rd)) {
            return;
          }
          if (campaign && lead != 0) {
            campaign = false;
          }
          if (campaignOnceBootstrapped && bootstrapApplied()) {
            campaignOnceBootstrapped = false;
            if (lead == 0) {
              raw.campaign();
              ticksSinceCampaign = 0;
            }
          }
        } else if (quiet) {
          LockSupport.parkNanos(this, QUIET_PARK_NANOS);
        } else {
          long wakeAt = earliest(earliest(nextTick, campaignAtNanos), splitCheckAtNanos);
          LockSupport.parkNanos(this, Math.max(0, wakeAt - System.nanoTime()));
        }
      }
    } catch (RuntimeException | Error e) {
      if (StorageIoException.in(e).isPresent()) {
        // a disk's failure (full, failed fsync), not the code's: one line naming file and cause
        ChannelLog.of(log, channel, options.raftId())
            .error("raft loop stopped: {}", StorageIoException.in(e).get().getMessage());
      } else {
        ChannelLog.of(log, channel, options.raftId()).error("raft loop failed", e);
      }
      running.set(false);
      applier.nodeFailed(e);
    }
  }

  private void drainCommands() {
    Snapshotting snap = snapshotRequest;
    if (snap != null) {
      snapshotRequest = null;
      snapshotStored(storage.takeSnapshot(snap.index(), snap.confState(), snap.data()));
      snapshotPending.set(false);
      ChannelLog.of(log, channel, options.raftId()).info("took snapshot at index {}", snap.index());
    }
    String wakeReason = wakeRequest.getAndSet(null);
    if (wakeReason != null) {
      unquiesce(wakeReason, true);
    }
    for (Long id; (id = unreachable.poll()) != null; ) {
      if (quiet) {
        unquiesce("consenter " + id + " is unreachable", true);
      }
      raw.reportUnreachable(id);
    }
    long gone = goneProcess.getAndSet(0);
    if (gone != 0 && quiet) {
      unquiesce("the process of consenter " + gone + " is gone", false);
    }
    if (gone != 0 && gone == lead && role == StateType.FOLLOWER && options.fastFailover()) {
      raw.forgetLeader();
      lead = 0;
      campaignTerm = term;
      campaignAtNanos = System.nanoTime() + FailoverRank.delayNanos(raw.status(), gone, options);
      ChannelLog.of(log, channel, options.raftId())
          .info(
              "the process of leader {} is gone; campaigning in {} ms unless a leader shows up",
              gone,
              TimeUnit.NANOSECONDS.toMillis(campaignAtNanos - System.nanoTime()));
    }
    long requested = transferRequested.getAndSet(0);
    if (requested != 0 && quiet) {
      unquiesce("a leadership transfer was asked for", false);
    }
    if (requested != 0 && requested != ANY_FOLLOWER && role != StateType.LEADER && lead != 0) {
      ChannelLog.of(log, channel, options.raftId())
          .info("asking leader {} to hand leadership to {}", lead, requested);
      raw.transferLeader(requested);
    } else if (requested != 0 && role == StateType.LEADER) {
      var to =
          requested == ANY_FOLLOWER
              ? LeadershipTransfer.transferee(raw.status())
              : java.util.OptionalLong.of(requested);
      if (to.isPresent()) {
        ChannelLog.of(log, channel, options.raftId())
            .info("transferring leadership to {}", to.getAsLong());
        raw.transferLeader(to.getAsLong());
      } else {
        ChannelLog.of(log, channel, options.raftId())
            .warn("no active follower to transfer leadership to");
      }
    }
    if (quiet && !proposals.isEmpty()) {
      unquiesce("a block was proposed", false);
    }
    for (Proposal p; (p = proposals.poll()) != null; ) {
      if (role != StateType.LEADER || p.term() != term) {
        ChannelLog.of(log, channel, options.raftId())
            .debug("dropping a block proposed in term {}", p.term());
        continue;
      }
      try {
        if (p.confChange() != null) {
          raw.proposeConfChange(p.confChange());
          ChannelLog.of(log, channel, options.raftId())
              .info(
                  "proposed conf change {} of node {}",
                  p.confChange().getType(),
                  p.confChange().getNodeId());
        } else {
          raw.propose(p.block());
        }
      } catch (ProposalDroppedException e) {
        ChannelLog.of(log, channel, options.raftId()).warn("proposal dropped: {}", e.getMessage());
      }
    }
    if (deferredQuiesce != null) {
      if (raw.hasReady()) {
        return;
      }
      Message m = deferredQuiesce;
      deferredQuiesce = null;
      onQuiesceHeartbeat(m);
    }
    for (int i = 0; i < INBOX_CAPACITY; i++) {
      Received r = inbox.poll();
      if (r == null) {
        break;
      }
      Message m = r.message();
      if (r.quiesce()) {
        if (raw.hasReady()) {
          // it follows messages just stepped: judged once their Ready is handled
          deferredQuiesce = m;
          return;
        }
        onQuiesceHeartbeat(m);
        continue;
      }
      if (quiet) {
        unquiesce(m.getType() + " from " + m.getFrom(), false);
      }
      if (campaignAtNanos != 0 && m.getType() == MessageType.MsgPreVote) {
        // another survivor saw the leader go first and stands already: standing too would split
        // the vote, and then both would wait out the election timeout
        campaignAtNanos =
            Math.max(campaignAtNanos, System.nanoTime() + FailoverRank.yieldNanos(options));
        ChannelLog.of(log, channel, options.raftId())
            .info("{} campaigns first; this node's campaign waits", m.getFrom());
      }
      try {
        raw.step(m);
      } catch (ProposalDroppedException e) {
        ChannelLog.of(log, channel, options.raftId()).debug("{}", e.getMessage());
      }
    }
  }

  /**
   * At a tick of a leader: lets the channel go quiet, instead of ticking, when it has been idle for
   * {@link #QUIESCE_AFTER_TICKS} ticks, nothing waits to be done, the chain is idle, the followers
   * know who is alive, and {@link Quiescence#leaderRefusal} finds no reason against it. Each
   * follower gets a quiesce heartbeat.
   *
   * @return whether the channel went quiet
   */
  private boolean quiesceAsLeader() {
    if (role != StateType.LEADER || !options.quietIdle() || !transport.quiesces()) {
      return false;
    }
    if (++idleTicks < QUIESCE_AFTER_TICKS) {
      return false;
    }
    Optional<String> refusal = leaderRefusal();
    if (refusal.isPresent()) {
      if (!refusal.get().equals(lastRefusal)) {
        lastRefusal = refusal.get();
        ChannelLog.of(log, channel, options.raftId()).debug("not quiescing: {}", lastRefusal);
      }
      return false;
    }
    lastRefusal = null;
    Status st = raw.status();
    for (long id : st.progress().keySet()) {
      if (id == st.id()) {
        continue;
      }
      try {
        transport.sendQuiesce(id, Quiescence.heartbeat(st, id));
      } catch (RaftTransport.SendFailedException e) {
        raw.reportUnreachable(id);
        ChannelLog.of(log, channel, options.raftId())
            .debug("not quiescing: quiesce heartbeat to {} failed: {}", id, e.getMessage());
        return false;
      }
    }
    goQuiet();
    return true;
  }

  /** Why this leader may not let the channel go quiet now, or empty when it may. */
  private Optional<String> leaderRefusal() {
    if (!inbox.isEmpty() || deferredQuiesce != null) {
      return Optional.of("messages to step");
    }
    if (!proposals.isEmpty()) {
      return Optional.of("proposals to make");
    }
    if (!unreachable.isEmpty() || goneProcess.get() != 0) {
      return Optional.of("a consenter is unreachable");
    }
    if (transferRequested.get() != 0) {
      return Optional.of("a leadership transfer is asked for");
    }
    if (snapshotRequest != null) {
      return Optional.of("a snapshot to take");
    }
    if (raw.hasReady()) {
      return Optional.of("a Ready to handle");
    }
    if (!applier.idle()) {
      return Optional.of("the chain is busy");
    }
    Status st = raw.status();
    // followers must know who is alive, which they learn only from an awake leader
    if (!activeNodes.published(st.progress().keySet())) {
      return Optional.of("the active consenters are not published yet");
    }
    return Quiescence.leaderRefusal(st, storage.lastIndex(), applier::peerQuiesces);
  }

  /**
   * A follower's answer to a quiesce heartbeat: quiet when {@link Quiescence#followerRefusal}
   * agrees; otherwise awake, the heartbeat stepped as a plain one, whose answer wakes the leader.
   */
  private void onQuiesceHeartbeat(Message m) {
    Optional<String> refusal =
        !options.quietIdle()
            ? Optional.of("quiescence is off")
            : campaignAtNanos != 0
                ? Optional.of("a campaign is planned")
                : Quiescence.followerRefusal(raw.status(), storage.lastIndex(), m);
    if (refusal.isEmpty()) {
      if (!quiet) {
        goQuiet();
      }
      return;
    }
    ChannelLog.of(log, channel, options.raftId())
        .debug("not quiescing on leader {}'s heartbeat: {}", m.getFrom(), refusal.get());
    if (quiet) {
      unquiesce("a quiesce heartbeat it refused: " + refusal.get(), false);
    }
    // a heartbeat's commit never exceeds the receiver's log; this one's is the leader's commit,
    // which every follower matched when it was sent: stepped only while that still holds
    if (m.getCommit() <= storage.lastIndex()) {
      raw.step(m);
    }
  }

  private void goQuiet() {
    quiet = true;
    ChannelLog.of(log, channel, options.raftId())
        .debug("quiet as {} of term {}: no ticks until woken", role, term);
    applier.quietChanged(true, null);
  }

  /**
   * Wakes a quiet channel: ticks resume a tick from now, and what woke it is handled at once, so
   * the block that woke it is ordered without waiting for a tick.
   *
   * @param wakeLeader whether a follower tells its leader, whose channel may still be quiet (any
   *     message from a consenter wakes one); false when the leader woke this node or soon hears
   */
  private void unquiesce(String reason, boolean wakeLeader) {
    if (!quiet) {
      return;
    }
    quiet = false;
    idleTicks = 0;
    nextTick = System.nanoTime() + tickNanos;
    ChannelLog.of(log, channel, options.raftId()).debug("awake: {}", reason);
    applier.quietChanged(false, reason);
    if (wakeLeader && role == StateType.FOLLOWER && lead != 0) {
      transport.announce(options.raftId(), List.of(lead));
    }
  }

  /**
   * Whether every committed entry, the bootstrap's configuration changes among them, is applied.
   */
  private boolean bootstrapApplied() {
    Status status = raw.status();
    return status.applied() >= status.commit();
  }

  /** One Ready: persist, send, hand over, advance. */
  private boolean handle(Ready rd) {
    long start = System.nanoTime();
    storage.store(rd.hardState(), rd.entries(), rd.snapshot(), rd.mustSync());
    metrics.dataPersisted(System.nanoTime() - start);
    snapshotStored(rd.snapshot());
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    long halfElectionMillis = options.tickInterval().toMillis() * options.electionTick() / 2;
    if (tookMillis > halfElectionMillis) {
      ChannelLog.of(log, channel, options.raftId())
          .warn("WAL sync took {} ms, more than half the election timeout", tookMillis);
    }
    if (rd.hasHardState()) {
      term = rd.hardState().getTerm();
    }
    if (rd.hasSoftState()) {
      role = rd.softState().raftState();
      lead = rd.softState().lead();
    }
    if (rd.hasSoftState()
        || rd.hasSnapshot()
        || !rd.entries().isEmpty()
        || !rd.committedEntries().isEmpty()) {
      idleTicks = 0;
    }
    for (Message m : rd.messages()) {
      send(m);
    }
    ConfState confState = applyConfChanges(rd.committedEntries());
    if (rd.hasSoftState() || rd.hasSnapshot() || !rd.committedEntries().isEmpty()) {
      PersistedReady apply =
          new PersistedReady(
              rd.committedEntries(),
              rd.softState(),
              rd.snapshot(),
              confState,
              term,
              storage.lastIndex());
      if (!applier.apply(apply, running)) {
        return false;
      }
    }
    raw.advance(rd);
    return true;
  }

  private void send(Message m) {
    boolean failed = false;
    try {
      transport.send(m.getTo(), m);
    } catch (RaftTransport.SendFailedException e) {
      failed = true;
      raw.reportUnreachable(m.getTo());
      ChannelLog.of(log, channel, options.raftId())
          .debug("send to {} failed: {}", m.getTo(), e.getMessage());
    }
    if (m.getType() == MessageType.MsgSnap) {
      raw.reportSnapshot(m.getTo(), failed ? SnapshotStatus.FAILURE : SnapshotStatus.FINISH);
    }
  }

  /**
   * Conf changes are applied here, on the only thread that may touch the raw node, rather than in
   * the chain as Fabric does; the chain gets the resulting ConfState for its snapshots.
   */
  private ConfState applyConfChanges(List<Entry> committed) {
    ConfState confState = null;
    for (Entry e : committed) {
      if (e.getType() != EntryType.EntryConfChange) {
        continue;
      }
      try {
        confState = raw.applyConfChange(ConfChange.parseFrom(e.getData()));
      } catch (InvalidProtocolBufferException ex) {
        throw new IllegalStateException(
            "channel " + channel + ": conf change entry " + e.getIndex() + " is not decodable", ex);
      }
    }
    return confState;
  }

  /** The configuration the storage held when the node was made (before any Ready). */
  public ConfState initialConfState() {
    return initialConfState;
  }
}

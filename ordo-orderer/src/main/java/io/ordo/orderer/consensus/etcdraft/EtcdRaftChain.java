package io.ordo.orderer.consensus.etcdraft;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.block.ConfigBlocks;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.RaftConsenter;
import io.ordo.orderer.cluster.OrdoMarks;
import io.ordo.orderer.consensus.Chain;
import io.ordo.orderer.consensus.ChainUnavailableException;
import io.ordo.orderer.consensus.ConsenterSupport;
import io.ordo.orderer.msgprocessor.MessageRejectedException;
import io.ordo.orderer.ops.ChannelLog;
import io.ordo.orderer.rpc.SharedBytes;
import io.ordo.raft.Messages;
import io.ordo.raft.SoftState;
import io.ordo.raft.StateType;
import io.ordo.raft.pb.ConfChange;
import io.ordo.raft.pb.Message;
import io.ordo.storage.RaftStorage;
import io.ordo.storage.io.StorageIoException;
import io.ordo.storage.wal.Wal;
import io.ordo.storage.wal.WalMetadata;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.ConsensusRequest;
import org.hyperledger.fabric.protos.orderer.SubmitRequest;
import org.hyperledger.fabric.protos.orderer.etcdraft.BlockMetadata;
import org.hyperledger.fabric.protos.orderer.etcdraft.ClusterMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The etcdraft chain of one channel (Fabric's {@code etcdraft.Chain}). Its loop ({@link
 * #serveRequest}, Fabric v3.0's {@code etcdraft.(*Chain).run}) serves, in turn: catch-up requests,
 * what raft committed ({@link BlockApplier}), the batch timer, and submissions from the {@link
 * Intake}, which a leader cuts and proposes ({@link BlockProposer}); a follower's submissions go to
 * the leader through the {@link SubmissionRouter} instead. It switches between leader and follower
 * as raft's soft state says, and carries consenter set changes out through {@link
 * MembershipChanges}. Submitters, the cluster and the raft node reach it from their own threads
 * through the methods above the loop section.
 */
public final class EtcdRaftChain implements Chain, Node.Applier {
  private static final Logger log = LoggerFactory.getLogger(EtcdRaftChain.class);

  private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /** The shortest wait for a block before a client is told its envelope was not ordered. */
  private static final long MIN_PENDING_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

  private static final long EXPIRY_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

  /**
   * How long the loop of a quiet channel parks: everything it serves wakes it (a hand-off, a
   * submission, a catch-up request, a halt), so the slice only bounds a missed wake-up.
   */
  private static final long QUIET_SLICE_NANOS = TimeUnit.SECONDS.toNanos(1);

  /**
   * How long an idle leader lets a partial batch gather envelopes before it cuts it, instead of the
   * channel's batch timeout, when none of its blocks is in flight (see {@link
   * BlockProposer#idleCutDue}).
   */
  static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final String channel;
  private final Options options;
  private final long raftId;

  /** How long an envelope given without a leader waits for one (Consensus.LeaderWait). */
  private final long leaderWaitNanos;

  private final ConsenterSupport support;
  private final CatchUp catchUp;
  private final RaftTransport transport;
  private final ChainDependencies.Lifecycle lifecycle;
  private final EtcdRaftMetrics metrics;
  private final boolean fresh;
  private final Node node;
  private final Intake intake = new Intake();
  private final BlockProposer proposer;
  private final BlockApplier applier;
  private final MembershipChanges changes;

  /** What clients handed to this node and is not in a block yet. */
  private final PendingEnvelopes pending;

  /** How long an envelope may take to reach a block before its client is told it was not. */
  private final long pendingTimeoutNanos;

  /** Where submissions go, and the leader view submitters read. */
  private final SubmissionRouter router;

  /** The term whose first applied entry makes the envelopes of earlier epochs lost; 0 for none. */
  private long lostAfterTerm;

  private long nextExpiryCheck;

  /** The raft node's persisted Readies, handed over one at a time (Fabric's unbuffered applyC). */
  private final BlockingQueue<PersistedReady> handoff = new ArrayBlockingQueue<>(1);

  /**
   * Completes when the chain stopped, or has known no leader for longer than an envelope waits for
   * one; replaced once a leader is known again. Unlike Fabric's, not as soon as a leader is lost:
   * Deliver streams and submitters ride out an election instead of being failed by it.
   */
  private final AtomicReference<CompletableFuture<Void>> errored =
      new AtomicReference<>(new CompletableFuture<>());

  /** Since when the loop has known no leader; 0 while it knows one. Owned by the loop. */
  private long leaderlessSince;

  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicLong catchUpRequest = new AtomicLong(-1);
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private volatile Thread loop;
  private volatile Throwable failure;

  /** Set by {@link #halt}: the chain stops because its owner said so, not on its own. */
  private volatile boolean haltRequested;

  private volatile List<Long> activeNodes = List.of();

  /** The consenters whose consensus messages say they quiesce idle channels. */
  private final Set<Long> quiescingPeers = ConcurrentHashMap.newKeySet();

  /**
   * Set by the loop when it parks with nothing to do as a leader; cleared whenever it works. Read
   * by the raft node before it lets the channel go quiet: a submission that races with that
   * decision proposes a block, which wakes the channel again.
   */
  private volatile boolean idle;

  // owned by the loop
  private SoftState soft = new SoftState(0, StateType.FOLLOWER);
  private boolean isLeader;
  private boolean justElected;

  /** Opens the channel's raft storage in the options' WAL and snapshot folders. */
  public EtcdRaftChain(ChainDependencies deps) {
    this.support = deps.support();
    this.channel = support.channelId();
    Options options = deps.options();
    this.options = options;
    this.raftId = options.raftId();
    this.leaderWaitNanos = options.leaderWait().toNanos();
    this.catchUp = deps.catchUp();
    this.transport = deps.transport();
    this.lifecycle = deps.lifecycle();
    this.metrics = deps.metrics();
    this.fresh = !Wal.exists(options.walDir());
    // three elections and a batch: a leader change loses nothing, only a stuck channel does
    this.pendingTimeoutNanos =
        Math.max(
            MIN_PENDING_TIMEOUT_NANOS,
            3 * options.electionTick() * options.tickInterval().toNanos()
                + support.channelConfig().orderer().batchTimeout().toNanos());
    this.pending = new PendingEnvelopes(pendingTimeoutNanos);
    this.router =
        new SubmissionRouter(
            new SubmissionRouter.Chain(
                channel,
                raftId,
                leaderWaitNanos,
                pending,
                intake,
                deps.submitter(),
                metrics,
                this::checkRunning,
                running::get));
    // read before the storage is opened: a ledger whose last block is unreadable opens nothing
    BlockMetadata lastMetadata =
        BlockApplier.metadataOf(support.block(support.height() - 1), options.consenterIds());
    RaftStorage storage =
        RaftStorage.open(
            options.walDir(),
            options.snapDir(),
            new WalMetadata(raftId, channel),
            metrics.storageOptions());
    this.node = new Node(channel, options, storage, transport, this, metrics);
    this.proposer =
        new BlockProposer(
            channel, raftId, support, node::propose, options.maxInflightBlocks(), metrics);
    this.applier =
        new BlockApplier(
            support,
            options,
            lastMetadata,
            node.initialConfState(),
            node::takeSnapshot,
            catchUp,
            metrics,
            new BlockApplier.Listener() {
              @Override
              public void blockWritten(Block block, boolean config) {
                proposer.blockWritten();
                pending.written(block, config);
              }

              @Override
              public void blocksPulled(long from, long to) {
                for (long n = from; n <= to && !pending.isEmpty(); n++) {
                  Block block = support.block(n);
                  pending.written(block, ConfigBlocks.isConfigBlock(block));
                }
              }

              @Override
              public void configBlockWritten(long number, Optional<ConsenterChange> change) {
                configWritten(number, change);
              }

              @Override
              public void confChangeApplied(long index, ConfChange cc) {
                confApplied(index, cc);
              }
            });
    this.changes =
        new MembershipChanges(
            channel,
            raftId,
            options,
            new MembershipChanges.Raft() {
              @Override
              public void proposeConfChange(long term, ConfChange change) {
                node.proposeConfChange(term, change);
              }

              @Override
              public void transferLeadership() {
                node.transferLeadership();
              }
            },
            deps.membership(),
            applier,
            router::leader,
            running::get,
            router::relay);
    metrics.blockCommitted(support.height() - 1);
  }

  // ---------------------------------------------------------------- the Chain interface

  @Override
  public CompletableFuture<Void> order(Envelope env, long configSeq) {
    return router.order(request(env, configSeq));
  }

  @Override
  public CompletableFuture<Void> tryOrder(Envelope env, long configSeq) {
    return router.tryOrder(request(env, configSeq));
  }

  @Override
  public CompletableFuture<Void> configure(Envelope config, long configSeq) {
    return router.configure(request(config, configSeq));
  }

  /**
   * Only checks that the chain runs: a chain that pauses its intake stops draining its bounded
   * submit queue, and submitting then blocks, which is the back-pressure Fabric's WaitReady gives
   * without a round trip through the loop for every envelope.
   */
  @Override
  public void waitReady() {
    checkRunning();
  }

  @Override
  public long snapshotBlock() {
    return node.snapshotBlock();
  }

  @Override
  public CompletableFuture<Void> errored() {
    return errored.get();
  }

  @Override
  public void start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("chain of channel " + channel + " already started");
    }
    running.set(true);
    loop = Thread.ofPlatform().name("chain-" + channel + "-" + raftId).start(this::serveRequest);
    intake.loopThread(loop);
    node.start(fresh, support.height() > 1);
    // a restarted node is heard from at once; and streams to every consenter are open before
    // they are needed, so that followers electing a new leader do not wait for a TLS handshake
    transport.announce(
        raftId, applier.consenters().keySet().stream().filter(id -> id != raftId).toList());
    lifecycle.started();
    ChannelLog.of(log, channel, raftId).info("chain started (fresh: {})", fresh);
  }

  @Override
  public void halt() {
    haltRequested = true;
    lifecycle.halted();
    if (!running.getAndSet(false)) {
      if (started.get()) {
        done.join();
      }
      return;
    }
    Thread t = loop;
    catchUp.close();
    LockSupport.unpark(t);
    if (t != Thread.currentThread()) {
      done.join();
    }
  }

  // ---------------------------------------------------------------- from the cluster

  /**
   * An envelope forwarded by another consenter: queued for the loop if this node leads. A node that
   * does not lead refuses it rather than forwarding it on: the consenter that sent it holds it and
   * submits it again once a leader's term shows it lost, and a copy forwarded on as well could be
   * ordered twice.
   *
   * @throws ChainUnavailableException not started, stopped, no leader, or not the leader
   */
  public void submit(SubmitRequest request) {
    router.fromPeer(new Submission(request, ConfigBlocks.isConfig(request.getPayload())));
  }

  /**
   * Asks the chain's loop to pull blocks up to {@code number} from other orderers (Fabric's
   * artificial snapshot, after an eviction check that found this node still a member but behind).
   */
  public void catchUpTo(long number) {
    catchUpRequest.accumulateAndGet(number, Math::max);
    LockSupport.unpark(loop);
  }

  /**
   * A raft message from another consenter (Fabric's {@code Chain.Consensus}); the active nodes it
   * may carry are recorded when it comes from the leader.
   */
  public void consensus(ConsensusRequest request, long sender) {
    long marks = OrdoMarks.flags(request);
    if (((marks & OrdoMarks.QUIESCES) != 0) != quiescingPeers.contains(sender)) {
      if ((marks & OrdoMarks.QUIESCES) != 0) {
        quiescingPeers.add(sender);
      } else {
        quiescingPeers.remove(sender);
      }
    }
    try {
      Message m = SharedBytes.parse(Message.parser(), request.getPayload());
      if ((marks & OrdoMarks.QUIESCE) != 0) {
        node.stepQuiesce(m);
      } else {
        step(m);
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          "channel " + channel + ": consensus request from " + sender + " is not a raft message",
          e);
    }
    if (!request.getMetadata().isEmpty() && sender == router.leader()) {
      try {
        activeNodes =
            List.copyOf(ClusterMetadata.parseFrom(request.getMetadata()).getActiveNodesList());
      } catch (InvalidProtocolBufferException e) {
        ChannelLog.of(log, channel, raftId)
            .warn("undecodable cluster metadata from leader {}", sender);
      }
    }
  }

  @Override
  public void activeNodes(List<Long> active) {
    activeNodes = List.copyOf(active);
    transport.disseminate(
        ClusterMetadata.newBuilder().addAllActiveNodes(active).build().toByteString());
    ChannelLog.of(log, channel, raftId).debug("active nodes {}", active);
  }

  /** The consenters this node last learnt to be alive (from the leader, or its own as leader). */
  public List<Long> activeNodes() {
    return activeNodes;
  }

  /**
   * Refuses a consenter change that would leave fewer live consenters than the new set's quorum ("2
   * out of 3 nodes are alive, configuration will result in quorum loss").
   */
  @Override
  public void validateConsensusMetadata(ChannelConfig current, ChannelConfig next) {
    Map<Long, RaftConsenter> now = applier.consenters();
    if (now.isEmpty() || next.orderer().etcdRaft().isEmpty()) {
      return;
    }
    ConsenterChange change =
        ConsenterChange.compute(
            now, applier.blockMetadata(), next.orderer().etcdRaft().get().consenters());
    List<Long> active = liveConsenters();
    if (change.unacceptableQuorumLoss(active)) {
      throw new MessageRejectedException(
          MessageRejectedException.Reason.BAD_REQUEST,
          active.size()
              + " out of "
              + now.size()
              + " nodes are alive, configuration will result in quorum loss");
    }
  }

  /**
   * The consenters this node counts as alive when it judges a consenter change: the leader's last
   * published view, and whatever it says, this node itself and the leader it hears from. The view
   * can lag (it is published once it has held for a few ticks, and a follower may have been given
   * one from before it was seen); without the two, a follower judging the rotation of a stopped
   * consenter's certificate could count the stopped node in and itself out, and refuse a change
   * that keeps the quorum.
   */
  private List<Long> liveConsenters() {
    Set<Long> alive = new TreeSet<>(activeNodes);
    alive.add(raftId);
    long leader = router.leader();
    if (leader != 0) {
      alive.add(leader);
    }
    return List.copyOf(alive);
  }

  /** A raft message for this node. */
  public void step(Message message) {
    node.step(message);
  }

  /** The transport could not reach {@code id}. */
  public void reportUnreachable(long id) {
    node.reportUnreachable(id);
  }

  /** Wakes the channel if it is quiet (a consenter it shares went silent). */
  public void wakeUp(String reason) {
    node.wakeUp(reason);
  }

  /**
   * Whether the channel is quiet: no ticks, no heartbeats (see {@link io.ordo.raft.Quiescence}).
   */
  public boolean quiet() {
    return node.quiet();
  }

  /** The raft tick interval and heartbeat ticks of the channel, for its pair heartbeats. */
  Options options() {
    return options;
  }

  /**
   * The process of consenter {@code id} is gone (its stream broke as a dead process breaks it): if
   * it led, a new leader is elected without waiting out the election timeout.
   */
  public void processGone(long id) {
    node.leaderProcessGone(id);
  }

  /** Whether the loop takes submits now; false while it pauses its intake. */
  boolean intakeOpen() {
    return intake.isOpen();
  }

  /** The leader this node knows, 0 for none. */
  public long leader() {
    return router.leader();
  }

  public String channel() {
    return channel;
  }

  /** Asks raft to hand leadership to the most caught-up active follower. */
  public void transferLeadership() {
    node.transferLeadership();
  }

  /**
   * Asks raft to hand leadership to consenter {@code to}; nothing happens unless this node leads.
   */
  public void transferLeadership(long to) {
    node.transferLeadership(to);
  }

  /** The consenters by raft ID as the last written config block set them. */
  public Map<Long, RaftConsenter> consenters() {
    return applier.consenters();
  }

  /**
   * Whether this node may stop without leaving an election or a lost envelope behind: another node
   * leads (or the chain stopped, or it is alone), and every envelope its clients gave it is in a
   * block.
   */
  boolean handedOff() {
    if (!running.get()) {
      return true;
    }
    long lead = router.leader();
    boolean alone = applier.consenters().size() <= 1;
    return (alone || (lead != 0 && lead != raftId)) && pending.isEmpty();
  }

  public long raftId() {
    return raftId;
  }

  private SubmitRequest request(Envelope env, long configSeq) {
    return SubmitRequest.newBuilder()
        .setChannel(channel)
        .setLastValidationSeq(configSeq)
        .setPayload(env)
        .build();
  }

  private void checkRunning() {
    if (!started.get()) {
      throw new ChainUnavailableException("chain is not started");
    }
    if (!running.get()) {
      throw new ChainUnavailableException("chain is stopped");
    }
  }

  // ---------------------------------------------------------------- the node's hand-off

  @Override
  public boolean apply(PersistedReady ready, AtomicBoolean nodeRunning) {
    try {
      while (!handoff.offer(ready, WAIT_SLICE_NANOS, TimeUnit.NANOSECONDS)) {
        if (!nodeRunning.get() || !running.get()) {
          return false;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    LockSupport.unpark(loop);
    return true;
  }

  @Override
  public boolean idle() {
    return idle;
  }

  @Override
  public boolean peerQuiesces(long id) {
    return quiescingPeers.contains(id);
  }

  @Override
  public void quietChanged(boolean quiet, String reason) {
    metrics.quietChanged(quiet);
    lifecycle.quietChanged(quiet);
    if (!quiet) {
      LockSupport.unpark(loop);
    }
  }

  @Override
  public void nodeFailed(Throwable cause) {
    failure = cause;
    LockSupport.unpark(loop);
  }

  // ---------------------------------------------------------------- the loop

  /**
   * Logs why the chain halts: a disk's failure (full, failed fsync) in one line naming file and
   * cause, for the operator; anything else with its stack trace, being a fault of the code.
   */
  private void logHalt(String what, Throwable cause) {
    Optional<StorageIoException> io = StorageIoException.in(cause);
    if (io.isPresent()) {
      ChannelLog.of(log, channel, raftId).error("{}: {}", what, io.get().getMessage());
    } else {
      ChannelLog.of(log, channel, raftId).error("{}: {}", what, cause.getMessage(), cause);
    }
  }

  private void serveRequest() {
    try {
      while (running.get() && failure == null) {
        idle = false;
        long catchUpTarget = catchUpRequest.getAndSet(-1);
        if (catchUpTarget >= support.height()) {
          applier.pullUpTo(catchUpTarget);
          continue;
        }
        if (changes.evictionOverdue()) {
          evict();
          break;
        }
        if (isLeader && proposer.configInflight()) {
          changes.retryIfDue(proposer.term());
        }
        PersistedReady ready = handoff.poll();
        if (ready != null) {
          handleReady(ready);
          continue;
        }
        expirePending();
        errIfLeaderlessTooLong();
        if (proposer.timerExpired(System.nanoTime())) {
          if (proposer.cutPending()) {
            pauseIfFull();
          }
          continue;
        }
        if (intake.hasWork()) {
          Submission s;
          while ((s = intake.next()) != null) {
            serve(s);
          }
          continue;
        }
        long now = System.nanoTime();
        if (proposer.idleCutDue(now, LINGER_NANOS)) {
          if (proposer.cutPending()) {
            pauseIfFull();
          }
          continue;
        }
        boolean quiet = node.quiet() && pending.isEmpty() && leaderlessSince == 0;
        long slice = quiet ? QUIET_SLICE_NANOS : WAIT_SLICE_NANOS;
        long untilTimer =
            proposer.nanosToIdleCut(now, LINGER_NANOS, proposer.nanosToTimer(now, slice));
        long park = intake.parkNanos(untilTimer);
        if (park < 0) {
          continue;
        }
        idle =
            isLeader
                && !justElected
                && proposer.idle()
                && handoff.isEmpty()
                && pending.isEmpty()
                && catchUpRequest.get() < 0;
        LockSupport.parkNanos(this, Math.min(park, slice));
      }
      if (failure != null) {
        logHalt("halting", failure);
      }
    } catch (RuntimeException e) {
      logHalt("chain loop failed, halting", e);
      failure = e;
    } finally {
      running.set(false);
      node.stop();
      pending.failAll("chain is stopped");
      int dropped = intake.clear(); // wakes waiting submitters, which then see the chain stopped
      if (dropped > 0) {
        ChannelLog.of(log, channel, raftId).info("discarded {} queued envelopes", dropped);
      }
      errored.get().complete(null);
      router.stopped();
      // a stop the owner asked for is not worded as the halt of a failure
      ChannelLog.of(log, channel, raftId).info(failure == null ? "chain stopped" : "chain halted");
      done.complete(null);
      Throwable cause = failure;
      if (cause != null && !haltRequested) {
        support.chainFailed(cause);
      }
    }
  }

  private void serve(Submission submission) {
    if (!isLeader) {
      // queued while this node led: the node the client gave it to submits it again once the new
      // leader's term shows it lost (forwarding it from here as well could order it twice)
      ChannelLog.of(log, channel, raftId)
          .debug("dropping an envelope queued before leadership was lost");
      return;
    }
    if (submission.config()) {
      Optional<Envelope> config = proposer.revalidateConfig(submission.request());
      if (config.isPresent() && changes.removesOrRotatesSelf(config.get())) {
        changes.abdicateAndResubmit(submission.request());
        proposer.settleTimer();
      } else if (config.isPresent()) {
        proposer.proposeConfig(config.get());
      }
    } else {
      proposer.orderNormal(submission.request());
    }
    pauseIfFull();
  }

  private void pauseIfFull() {
    if (proposer.mustPause()) {
      intake.accepting(false);
    }
  }

  private void handleReady(PersistedReady ready) {
    if (ready.soft() != null) {
      changeSoftState(ready);
    }
    if (!Messages.isEmptySnapshot(ready.snapshot())) {
      applier.catchUp(ready.snapshot());
    }
    if (ready.confState() != null) {
      applier.confState(ready.confState());
    }
    applier.apply(ready.entries(), proposer::takeProposed);
    resubmitLost(ready);
    if (changes.removed()) {
      evict();
      return;
    }
    if (justElected && ready.lastIndex() <= applier.appliedIndex() && !proposer.configInflight()) {
      Block last = support.block(support.height() - 1);
      proposer.startLeading(last);
      justElected = false;
      intake.accepting(true);
      ChannelLog.of(log, channel, raftId)
          .info(
              "applied all entries of earlier terms; leading from block [{}]",
              last.getHeader().getNumber());
      if (changes.proposeMissing(proposer.term())) {
        proposer.configInflight(true);
        intake.accepting(false);
      }
    } else if (isLeader && !justElected && !intake.accepting()) {
      intake.accepting(proposer.mayAccept());
    }
  }

  /**
   * Once an entry of the current leader's term is applied, every entry of earlier terms is written
   * or gone for good: what clients gave this node before that leader and is still not in a block is
   * submitted again, off the loop (forwarding may wait).
   */
  private void resubmitLost(PersistedReady ready) {
    if (lostAfterTerm == 0 || ready.entries().isEmpty()) {
      return;
    }
    if (ready.entries().getLast().getTerm() < lostAfterTerm) {
      return;
    }
    lostAfterTerm = 0;
    int epoch = router.epoch();
    List<Submission> lost = pending.lostBefore(epoch);
    if (lost.isEmpty()) {
      return;
    }
    ChannelLog.of(log, channel, raftId)
        .info(
            "{} envelopes given to an earlier leader are not in a block;"
                + " submitting them to leader {}",
            lost.size(),
            router.leader());
    router.resubmit(lost, epoch);
  }

  private void expirePending() {
    long now = System.nanoTime();
    if (now - nextExpiryCheck < 0 || pending.isEmpty()) {
      return;
    }
    nextExpiryCheck = now + EXPIRY_CHECK_NANOS;
    pending.expire(
        now,
        "envelope not ordered within "
            + TimeUnit.NANOSECONDS.toSeconds(pendingTimeoutNanos)
            + " s: channel "
            + channel
            + " has no leader that orders it");
  }

  private void configWritten(long number, Optional<ConsenterChange> change) {
    proposer.configInflight(false);
    if (change.isPresent()
        && changes.consentersChanged(number, change.get(), isLeader, proposer.term())) {
      proposer.configInflight(true);
      intake.accepting(false);
    }
  }

  private void confApplied(long index, ConfChange cc) {
    if (changes.applied(index, cc) == MembershipChanges.Applied.IN_PROGRESS_DONE) {
      proposer.configInflight(false);
    }
  }

  /** This node's removal was applied, or is overdue: the chain stops. */
  private void evict() {
    running.set(false);
    changes.evict(support);
  }

  private void changeSoftState(PersistedReady ready) {
    long newLeader = ready.soft().lead();
    if (newLeader != soft.lead()) {
      ChannelLog.of(log, channel, raftId)
          .info("raft leader changed: {} -> {}", soft.lead(), newLeader);
      metrics.leaderChanged();
      if (newLeader != 0) {
        lostAfterTerm = ready.term();
      }
      if (newLeader == raftId) {
        becomeLeader(ready.term());
      } else if (isLeader) {
        becomeFollower();
      }
    }
    StateType role = ready.soft().raftState();
    boolean candidate = role == StateType.PRE_CANDIDATE || role == StateType.CANDIDATE;
    if (candidate || newLeader == 0) {
      activeNodes = List.of();
    }
    soft = ready.soft();
    long known = candidate ? 0 : newLeader;
    router.leaderSeen(known);
    if (known != 0) {
      leaderlessSince = 0;
      if (errored.get().isDone() && running.get()) {
        errored.set(new CompletableFuture<>());
      }
    } else if (leaderlessSince == 0) {
      leaderlessSince = System.nanoTime();
    }
  }

  /** The chain has known no leader for longer than an election should take: it errs. */
  private void errIfLeaderlessTooLong() {
    if (leaderlessSince != 0
        && System.nanoTime() - leaderlessSince > leaderWaitNanos
        && !errored.get().isDone()) {
      ChannelLog.of(log, channel, raftId)
          .warn("no leader for {} s", TimeUnit.NANOSECONDS.toSeconds(leaderWaitNanos));
      errored.get().complete(null);
    }
  }

  private void becomeLeader(long term) {
    isLeader = true;
    justElected = true;
    intake.accepting(false);
    proposer.elected(term);
  }

  private void becomeFollower() {
    isLeader = false;
    justElected = false;
    int dropped = proposer.stepDown();
    if (dropped > 0) {
      ChannelLog.of(log, channel, raftId)
          .info("no longer leader; discarded {} pending envelopes", dropped);
    }
    intake.accepting(true);
  }
}

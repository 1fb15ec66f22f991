package io.ordo.orderer.consensus.etcdraft;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.block.BlockCreator;
import io.ordo.fabric.block.Blocks;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.EtcdRaftConfig;
import io.ordo.fabric.channelconfig.RaftConsenter;
import io.ordo.fabric.envelope.SharedBytes;
import io.ordo.orderer.blockcutter.BlockCutter;
import io.ordo.orderer.consensus.ChainUnavailableException;
import io.ordo.orderer.consensus.ConsenterSupport;
import io.ordo.orderer.msgprocessor.MessageRejectedException;
import io.ordo.raft.SoftState;
import io.ordo.raft.StateType;
import io.ordo.raft.pb.ConfChange;
import io.ordo.raft.pb.ConfChangeType;
import io.ordo.raft.pb.ConfState;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.EntryType;
import io.ordo.raft.pb.Message;
import io.ordo.raft.pb.Snapshot;
import io.ordo.storage.RaftStorage;
import io.ordo.storage.RaftStorageOptions;
import io.ordo.storage.wal.Wal;
import io.ordo.storage.wal.WalMetadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.orderer.ConsensusRequest;
import org.hyperledger.fabric.protos.orderer.SubmitRequest;
import org.hyperledger.fabric.protos.orderer.etcdraft.BlockMetadata;
import org.hyperledger.fabric.protos.orderer.etcdraft.ClusterMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The etcdraft chain of one channel (Fabric's {@code etcdraft.Chain}). Its loop ({@code
 * serveRequest()}, Fabric v3.0's {@code etcdraft.(*Chain).run}, which Fabric v1.4 called {@code
 * serveRequest}) owns the block cutter and block creator: it answers submits with the leader, cuts
 * and proposes blocks on the leader, pauses intake at max_inflight_blocks or while a config block
 * is in flight, and on every node writes committed blocks in raft-index order, exactly once.
 */
public final class Chain implements io.ordo.orderer.consensus.Chain, Node.Applier {
  private static final Logger log = LoggerFactory.getLogger(Chain.class);

  /** Submits waiting for the loop; beyond it submitters block (back-pressure). */
  private static final int SUBMIT_CAPACITY = 2048;

  /** Submits the loop takes per turn, so that applies and the batch timer are never starved. */
  private static final int SUBMIT_DRAIN = 512;

  private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /**
   * How long a busy loop sleeps before coming back for the envelopes queued meanwhile. Waking it
   * for each envelope cost a context switch per envelope on the loop and a futex call on the
   * submitter; under load it takes them a millisecond's worth at a time instead.
   */
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /** Envelopes served in one poll interval that make the loop busy (4,000 a second). */
  private static final int BUSY_SUBMISSIONS = 4;

  /** Fabric's AbdicationMaxAttempts. */
  private static final int ABDICATION_ATTEMPTS = 5;

  private final String channel;
  private final long raftId;
  private final ConsenterSupport support;
  private final Options options;
  private final Submitter submitter;
  private final CatchUp catchUp;
  private final ChainMembership membership;
  private final RaftTransport transport;
  private volatile List<Long> activeNodes = List.of();
  private final AtomicBoolean abdicating = new AtomicBoolean();
  private final Node node;
  private final EtcdRaftMetrics metrics;
  private final boolean fresh;
  private final BlockingQueue<Submission> submitC = new ArrayBlockingQueue<>(SUBMIT_CAPACITY);
  private final java.util.ArrayDeque<Submission> backlog = new java.util.ArrayDeque<>();

  /**
   * A queued envelope; {@code config} is what Broadcast already found (order or configure), null
   * when it came from another consenter and the loop must read its header.
   */
  private record Submission(SubmitRequest request, Boolean config) {}

  private final ReentrantLock intakeLock = new ReentrantLock();
  private final Condition intakeOpened = intakeLock.newCondition();

  /** The loop's {@code accepting}, for submitters: they wait while it is false. */
  private volatile boolean intakeOpen = true;

  /** Set while the loop comes back for submissions by itself within POLL_NANOS. */
  private volatile boolean polling;

  private final BlockingQueue<Apply> applyC = new ArrayBlockingQueue<>(1);
  private final AtomicReference<CompletableFuture<Void>> errorC =
      new AtomicReference<>(new CompletableFuture<>());
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicLong catchUpRequest = new AtomicLong(-1);
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private volatile Thread loop;
  private volatile Throwable failure;
  private volatile long leader;

  // owned by the loop
  private SoftState soft = new SoftState(0, StateType.FOLLOWER);
  private boolean isLeader;
  private boolean justElected;
  private boolean accepting = true;
  private int blockInflight;
  private boolean configInflight;

  /**
   * Blocks this leader proposed and has not written yet, by number, with the very bytes proposed:
   * an entry that commits those bytes is written from the block in hand, neither parsed back nor
   * hashed again. Owned by the loop.
   */
  private final Map<Long, Proposed> proposed = new HashMap<>();

  private record Proposed(ByteString data, Block block) {}

  private long leaderTerm;
  private BlockCreator blockCreator;
  private long timerDeadline;
  private boolean timerOn;
  private volatile BlockMetadata blockMetadata;
  private long appliedIndex;
  private long accDataSize;
  private ConfState confState;
  private long snapshotIntervalSize;
  private volatile Map<Long, RaftConsenter> consenters;
  private ConfChange confChangeInProgress;
  private boolean evicted;
  private long evictionDeadline;

  /** The config block that removed this node; the ledger's last block until one did. */
  private long removalBlock = -1;

  private long confChangeRetryAt;

  /**
   * Opens the channel's raft storage in {@code options.walDir()} and {@code options.snapDir()} and
   * makes its node.
   *
   * @param transportFactory makes the transport this node sends through
   */
  public Chain(
      ConsenterSupport support,
      Options options,
      java.util.function.Function<Chain, RaftTransport> transportFactory,
      Submitter submitter) {
    this(
        support, options, transportFactory, submitter, ChainMembership.none(), CatchUp.UNSUPPORTED);
  }

  /** As the 4-argument one, with the way to pull the blocks a snapshot is ahead by. */
  public Chain(
      ConsenterSupport support,
      Options options,
      java.util.function.Function<Chain, RaftTransport> transportFactory,
      Submitter submitter,
      CatchUp catchUp) {
    this(support, options, transportFactory, submitter, ChainMembership.none(), catchUp);
  }

  /**
   * As the 4-argument one, telling {@code membership} whenever the consenter set changes, and
   * pulling the blocks a snapshot is ahead by with {@code catchUp}.
   *
   * @param membership told after a certificate rotation and after each applied raft conf change
   * @param catchUp pulls missing blocks from other orderers
   */
  public Chain(
      ConsenterSupport support,
      Options options,
      java.util.function.Function<Chain, RaftTransport> transportFactory,
      Submitter submitter,
      ChainMembership membership,
      CatchUp catchUp) {
    this(
        support,
        options,
        transportFactory,
        submitter,
        membership,
        catchUp,
        EtcdRaftMetrics.discarding(support.channelId()));
  }

  /**
   * As the 6-argument one, reporting Fabric's etcdraft metrics of the channel to {@code metrics}.
   */
  public Chain(
      ConsenterSupport support,
      Options options,
      java.util.function.Function<Chain, RaftTransport> transportFactory,
      Submitter submitter,
      ChainMembership membership,
      CatchUp catchUp,
      EtcdRaftMetrics metrics) {
    this.metrics = metrics;
    this.catchUp = catchUp;
    this.channel = support.channelId();
    this.raftId = options.raftId();
    this.support = support;
    this.options = options;
    this.submitter = submitter;
    this.membership = membership;
    this.snapshotIntervalSize = options.snapshotIntervalSize();
    this.blockMetadata =
        readBlockMetadata(support.block(support.height() - 1), options.consenterIds());
    this.consenters =
        support
            .channelConfig()
            .orderer()
            .etcdRaft()
            .map(r -> ConsenterChange.byId(r.consenters(), blockMetadata.getConsenterIdsList()))
            .orElse(Map.of());
    this.appliedIndex = blockMetadata.getRaftIndex();
    this.fresh = !Wal.exists(options.walDir());
    RaftStorage storage =
        RaftStorage.open(
            options.walDir(),
            options.snapDir(),
            new WalMetadata(raftId, channel),
            RaftStorageOptions.defaults());
    this.transport = transportFactory.apply(this);
    this.node = new Node(channel, options, storage, transport, this, metrics);
    metrics.blockCommitted(support.height() - 1);
    this.confState = node.initialConfState();
  }

  /**
   * The etcdraft BlockMetadata of the last block; a genesis block has none, and then the consenters
   * are numbered 1..n in config order (Fabric's ReadBlockMetadata).
   */
  static BlockMetadata readBlockMetadata(Block last, List<Long> genesisIds) {
    ByteString raw = Blocks.consenterMetadata(last);
    if (!raw.isEmpty()) {
      try {
        return BlockMetadata.parseFrom(raw);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException(
            "block [" + last.getHeader().getNumber() + "] has undecodable etcdraft metadata", e);
      }
    }
    long next = genesisIds.stream().mapToLong(Long::longValue).max().orElse(0) + 1;
    return BlockMetadata.newBuilder()
        .addAllConsenterIds(genesisIds)
        .setNextConsenterId(next)
        .build();
  }

  // ---------------------------------------------------------------- the Chain interface

  @Override
  public void order(Envelope env, long configSeq) {
    metrics.normalProposalReceived();
    submit(request(env, configSeq), Boolean.FALSE);
  }

  /**
   * Queues the envelope when this node leads, its intake is open and the submit queue has room;
   * anything else (a forward to the leader, a paused intake, a full queue) is left to {@link
   * #order}.
   */
  @Override
  public boolean tryOrder(Envelope env, long configSeq) {
    checkRunning();
    if (leader != raftId || !intakeOpen) {
      return false;
    }
    if (!submitC.offer(new Submission(request(env, configSeq), Boolean.FALSE))) {
      return false;
    }
    metrics.normalProposalReceived();
    wakeForSubmission();
    return true;
  }

  @Override
  public void configure(Envelope config, long configSeq) {
    metrics.configProposalReceived();
    submit(request(config, configSeq), Boolean.TRUE);
  }

  /**
   * Only checks that the chain runs: a chain that pauses its intake stops draining its bounded
   * submit queue, and {@link #submit} then blocks, which is the back-pressure Fabric's WaitReady
   * gives without a round trip through the loop for every envelope.
   */
  @Override
  public void waitReady() {
    checkRunning();
  }

  @Override
  public CompletableFuture<Void> errored() {
    return errorC.get();
  }

  @Override
  public void start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("chain of channel " + channel + " already started");
    }
    running.set(true);
    loop = Thread.ofPlatform().name("chain-" + channel + "-" + raftId).start(this::serveRequest);
    node.start(fresh, support.height() > 1);
    log.info("[channel: {}, node: {}] chain started (fresh: {})", channel, raftId, fresh);
  }

  @Override
  public void halt() {
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

  /**
   * A client's envelope, from {@link #order} / {@link #configure} (sender 0) or forwarded by
   * another consenter: queued for the loop if this node leads, else forwarded to the leader. The
   * leader is the one the loop last saw; an envelope that reaches the loop after leadership moved
   * on is forwarded from there.
   *
   * @throws ChainUnavailableException not started, stopped, no leader, or forwarding failed
   */
  public void submit(SubmitRequest request, long sender) {
    submit(request, null);
  }

  private void submit(SubmitRequest request, Boolean config) {
    try {
      queueOrForward(request, config);
    } catch (ChainUnavailableException e) {
      metrics.proposalFailed();
      throw e;
    }
  }

  private void queueOrForward(SubmitRequest request, Boolean config) {
    checkRunning();
    long lead = leader;
    if (lead == 0) {
      throw new ChainUnavailableException("no Raft leader");
    }
    if (lead != raftId) {
      forward(lead, request);
      return;
    }
    try {
      if (!intakeOpen) {
        awaitIntake();
      }
      Submission submission = new Submission(request, config);
      while (!submitC.offer(submission, WAIT_SLICE_NANOS, TimeUnit.NANOSECONDS)) {
        checkRunning();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChainUnavailableException("interrupted waiting for the chain", e);
    }
    wakeForSubmission();
  }

  /**
   * Wakes the loop for a queued submission unless it is polling. A loop that stops polling looks at
   * the queue again after clearing the flag, so a submission queued while it was set is not missed.
   */
  private void wakeForSubmission() {
    if (!polling) {
      LockSupport.unpark(loop);
    }
  }

  /** Fabric's submit blocks while the leader pauses its intake; so does this one. */
  private void awaitIntake() throws InterruptedException {
    intakeLock.lock();
    try {
      while (!intakeOpen) {
        checkRunning();
        intakeOpened.awaitNanos(WAIT_SLICE_NANOS);
      }
    } finally {
      intakeLock.unlock();
    }
  }

  /** Owned by the loop: whether it takes submits, mirrored for the submitters. */
  private void setAccepting(boolean open) {
    accepting = open;
    if (open != intakeOpen) {
      intakeLock.lock();
      try {
        intakeOpen = open;
        if (open) {
          intakeOpened.signalAll();
        }
      } finally {
        intakeLock.unlock();
      }
    }
  }

  private void forward(long lead, SubmitRequest request) {
    try {
      submitter.submit(lead, request);
    } catch (RuntimeException e) {
      throw new ChainUnavailableException(e.getMessage(), e);
    }
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
    try {
      step(SharedBytes.parse(Message.parser(), request.getPayload()));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          "channel " + channel + ": consensus request from " + sender + " is not a raft message",
          e);
    }
    if (!request.getMetadata().isEmpty() && sender == leader) {
      try {
        activeNodes =
            List.copyOf(ClusterMetadata.parseFrom(request.getMetadata()).getActiveNodesList());
      } catch (InvalidProtocolBufferException e) {
        log.warn(
            "[channel: {}, node: {}] undecodable cluster metadata from leader {}",
            channel,
            raftId,
            sender);
      }
    }
  }

  @Override
  public void activeNodes(List<Long> active) {
    activeNodes = List.copyOf(active);
    transport.disseminate(
        ClusterMetadata.newBuilder().addAllActiveNodes(active).build().toByteString());
    log.debug("[channel: {}, node: {}] active nodes {}", channel, raftId, active);
  }

  /** The consenters this node last learnt to be alive (from the leader, or its own as leader). */
  public List<Long> activeNodes() {
    return activeNodes;
  }

  /**
   * Refuses a consenter change that would leave fewer live consenters than the new set's quorum ("2
   * out of 3 nodes are alive, configuration will result in quorum loss").
   */
  public void validateConsensusMetadata(ChannelConfig current, ChannelConfig next) {
    Map<Long, RaftConsenter> now = consenters;
    if (now.isEmpty() || next.orderer().etcdRaft().isEmpty()) {
      return;
    }
    ConsenterChange change =
        ConsenterChange.compute(now, blockMetadata, next.orderer().etcdRaft().get().consenters());
    List<Long> active = activeNodes;
    if (change.unacceptableQuorumLoss(active)) {
      throw new MessageRejectedException(
          MessageRejectedException.Reason.BAD_REQUEST,
          active.size()
              + " out of "
              + now.size()
              + " nodes are alive, configuration will result in quorum loss");
    }
  }

  /** A raft message for this node. */
  public void step(Message message) {
    node.step(message);
  }

  /** The transport could not reach {@code id}. */
  public void reportUnreachable(long id) {
    node.reportUnreachable(id);
  }

  /** Whether the loop takes submits now; false while it pauses its intake. */
  boolean intakeOpen() {
    return intakeOpen;
  }

  /** The leader this node knows, 0 for none. */
  public long leader() {
    return leader;
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
  public boolean apply(Apply apply, AtomicBoolean nodeRunning) {
    try {
      while (!applyC.offer(apply, WAIT_SLICE_NANOS, TimeUnit.NANOSECONDS)) {
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
  public void nodeFailed(Throwable cause) {
    failure = cause;
    LockSupport.unpark(loop);
  }

  // ---------------------------------------------------------------- the loop

  private void serveRequest() {
    long intervalStart = System.nanoTime();
    int servedInInterval = 0;
    boolean busy = false;
    try {
      while (running.get() && failure == null) {
        long catchUpTarget = catchUpRequest.getAndSet(-1);
        if (catchUpTarget >= support.height()) {
          pullUpTo(catchUpTarget);
          continue;
        }
        if (evictionDeadline != 0 && System.nanoTime() - evictionDeadline >= 0) {
          log.info(
              "[channel: {}, node: {}] the conf change removing this node was not seen applied",
              channel,
              raftId);
          evict();
          break;
        }
        if (isLeader
            && configInflight
            && confChangeInProgress != null
            && System.nanoTime() - confChangeRetryAt >= 0) {
          log.info(
              "[channel: {}, node: {}] conf change {} of node {} not applied yet; proposing it again",
              channel,
              raftId,
              confChangeInProgress.getType(),
              confChangeInProgress.getNodeId());
          proposeConfChange();
        }
        Apply a = applyC.poll();
        if (a != null) {
          handleApply(a);
          continue;
        }
        if (timerOn && System.nanoTime() - timerDeadline >= 0) {
          batchTimeout();
          continue;
        }
        if (accepting && (!backlog.isEmpty() || submitC.drainTo(backlog, SUBMIT_DRAIN) > 0)) {
          // stops as soon as a proposal pauses intake; the rest waits in the backlog
          while (accepting && !backlog.isEmpty()) {
            serve(backlog.poll());
            servedInInterval++;
          }
          continue;
        }
        long now = System.nanoTime();
        if (now - intervalStart >= POLL_NANOS) {
          busy = servedInInterval >= BUSY_SUBMISSIONS;
          intervalStart = now;
          servedInInterval = 0;
        }
        long park = timerOn ? Math.max(0, timerDeadline - now) : WAIT_SLICE_NANOS;
        if (busy && accepting) {
          polling = true;
          park = Math.min(park, POLL_NANOS);
        } else if (polling) {
          polling = false;
          if (!submitC.isEmpty()) {
            continue; // queued while submitters left the loop asleep
          }
        }
        LockSupport.parkNanos(this, Math.min(park, WAIT_SLICE_NANOS));
      }
      if (failure != null) {
        log.error(
            "[channel: {}, node: {}] halting: {}", channel, raftId, failure.getMessage(), failure);
      }
    } catch (RuntimeException e) {
      log.error("[channel: {}, node: {}] chain loop failed, halting", channel, raftId, e);
    } finally {
      running.set(false);
      node.stop();
      int dropped = submitC.size() + backlog.size();
      submitC.clear();
      backlog.clear();
      setAccepting(true); // wakes waiting submitters, which then see the chain stopped
      if (dropped > 0) {
        log.info(
            "[channel: {}, node: {}] discarded {} queued envelopes on halt",
            channel,
            raftId,
            dropped);
      }
      errorC.get().complete(null);
      leader = 0;
      log.info("[channel: {}, node: {}] chain halted", channel, raftId);
      done.complete(null);
    }
  }

  private void serve(Submission submission) {
    if (!isLeader) {
      forwardFromLoop(submission.request());
      return;
    }
    List<List<Envelope>> batches = new ArrayList<>();
    boolean pending = ordered(submission, batches);
    if (pending) {
      startTimer();
    } else {
      timerOn = false;
    }
    for (List<Envelope> batch : batches) {
      propose(batch);
    }
    pauseIfFull();
  }

  /**
   * An envelope queued while this node led reaches the loop after it stopped leading: it goes to
   * the new leader off the loop (forwarding may wait up to the RPC timeout), or is dropped when
   * there is none, as the block cutter's pending envelopes are on a leader change.
   */
  private void forwardFromLoop(SubmitRequest request) {
    long lead = leader;
    if (lead == 0 || lead == raftId) {
      log.warn(
          "[channel: {}, node: {}] dropping an envelope queued before leadership was lost",
          channel,
          raftId);
      return;
    }
    Thread.ofVirtual()
        .name("chain-" + channel + "-forward")
        .start(
            () -> {
              try {
                submitter.submit(lead, request);
              } catch (RuntimeException e) {
                log.warn(
                    "[channel: {}, node: {}] could not forward an envelope queued before"
                        + " leadership moved to {}: {}",
                    channel,
                    raftId,
                    lead,
                    e.getMessage());
              }
            });
  }

  /** Fabric's {@code ordered}: the batches to propose now, and whether some envelopes wait. */
  private boolean ordered(Submission submission, List<List<Envelope>> batches) {
    SubmitRequest request = submission.request();
    Envelope env = request.getPayload();
    long seq = request.getLastValidationSeq();
    Boolean config = submission.config() != null ? submission.config() : isConfig(env);
    if (config == null) {
      log.warn(
          "[channel: {}, node: {}] dropping an envelope without a channel header", channel, raftId);
      return support.blockCutter().pendingCount() > 0;
    }
    try {
      if (config) {
        Envelope configEnv = support.processor().revalidateConfig(env, seq).config();
        if (removesOrRotatesSelf(configEnv)) {
          abdicateAndResubmit(request);
          return support.blockCutter().pendingCount() > 0;
        }
        List<Envelope> pendingBatch = support.blockCutter().cut();
        if (!pendingBatch.isEmpty()) {
          batches.add(pendingBatch);
        }
        batches.add(List.of(configEnv));
        return false;
      }
      support.processor().revalidateNormal(env, seq);
    } catch (MessageRejectedException e) {
      metrics.proposalFailed();
      log.warn(
          "[channel: {}, node: {}] dropping an envelope that no longer passes: {}",
          channel,
          raftId,
          e.getMessage());
      return support.blockCutter().pendingCount() > 0;
    }
    BlockCutter.Ordered o = support.blockCutter().ordered(env);
    batches.addAll(o.batches());
    return o.pending();
  }

  private void batchTimeout() {
    timerOn = false;
    if (!isLeader || blockCreator == null) {
      return;
    }
    List<Envelope> batch = support.blockCutter().cut();
    if (batch.isEmpty()) {
      log.warn(
          "[channel: {}, node: {}] batch timer expired with no pending requests", channel, raftId);
      return;
    }
    propose(batch);
    pauseIfFull();
  }

  private void startTimer() {
    if (!timerOn) {
      timerOn = true;
      timerDeadline =
          System.nanoTime() + support.channelConfig().orderer().batchTimeout().toNanos();
    }
  }

  private void propose(List<Envelope> batch) {
    Block block = blockCreator.createNext(batch.stream().map(Envelope::toByteString).toList());
    ByteString data = block.toByteString();
    proposed.put(block.getHeader().getNumber(), new Proposed(data, block));
    node.propose(leaderTerm, data);
    blockInflight++;
    if (batch.size() == 1 && Boolean.TRUE.equals(isConfig(batch.getFirst()))) {
      configInflight = true;
    }
    log.debug(
        "[channel: {}, node: {}] proposed block [{}] with {} envelopes",
        channel,
        raftId,
        block.getHeader().getNumber(),
        batch.size());
  }

  private void pauseIfFull() {
    if (configInflight) {
      log.info("[channel: {}, node: {}] config block in flight, pausing intake", channel, raftId);
      setAccepting(false);
    } else if (blockInflight >= options.maxInflightBlocks()) {
      log.debug(
          "[channel: {}, node: {}] {} blocks in flight, pausing intake",
          channel,
          raftId,
          blockInflight);
      setAccepting(false);
    }
  }

  private void handleApply(Apply a) {
    if (a.soft() != null) {
      changeSoftState(a);
    }
    if (!io.ordo.raft.Messages.isEmptySnapshot(a.snapshot())) {
      catchUp(a.snapshot());
    }
    if (a.confState() != null) {
      confState = a.confState();
    }
    applyEntries(a.entries());
    if (evicted) {
      evict();
      return;
    }
    if (justElected && a.lastIndex() <= appliedIndex && !configInflight) {
      Block last = support.block(support.height() - 1);
      blockCreator = new BlockCreator(last.getHeader());
      justElected = false;
      setAccepting(true);
      log.info(
          "[channel: {}, node: {}] applied all entries of earlier terms; leading from block [{}]",
          channel,
          raftId,
          last.getHeader().getNumber());
      proposeMissingConfChange();
    } else if (isLeader && !justElected && !accepting) {
      setAccepting(!configInflight && blockInflight < options.maxInflightBlocks());
    }
  }

  /**
   * A new leader whose raft voters differ from the consenters of the last config block proposes the
   * conf change the previous leader could not finish, as Fabric's {@code etcdraft.(*Chain).run}
   * does on becoming leader through {@code getInFlightConfChange}.
   */
  private void proposeMissingConfChange() {
    if (confState == null || confState.getVotersCount() == 0 || consenters.isEmpty()) {
      return;
    }
    Optional<ConfChange> missing =
        ConsenterChange.toReach(confState.getVotersList(), blockMetadata.getConsenterIdsList());
    if (missing.isEmpty()) {
      confChangeInProgress = null;
      return;
    }
    confChangeInProgress = missing.get();
    log.info(
        "[channel: {}, node: {}] raft voters {} differ from the consenters {}; proposing {} of {}",
        channel,
        raftId,
        confState.getVotersList(),
        blockMetadata.getConsenterIdsList(),
        confChangeInProgress.getType(),
        confChangeInProgress.getNodeId());
    proposeConfChange();
    configInflight = true;
    setAccepting(false);
  }

  /**
   * This node's removal was applied: the chain stops and the node's owner is told on another thread
   * (it halts the chain's registrations and may make the channel a follower).
   */
  private void evict() {
    log.warn(
        "[channel: {}, node: {}] removed from the consenter set; halting the chain",
        channel,
        raftId);
    running.set(false);
    long removedAt = removalBlock >= 0 ? removalBlock : support.height() - 1;
    Thread.ofVirtual().name("evicted-" + channel).start(() -> support.evicted(removedAt));
  }

  private void changeSoftState(Apply a) {
    long newLeader = a.soft().lead();
    if (newLeader != soft.lead()) {
      log.info(
          "[channel: {}, node: {}] raft leader changed: {} -> {}",
          channel,
          raftId,
          soft.lead(),
          newLeader);
      metrics.leaderChanged();
      if (newLeader == raftId) {
        becomeLeader(a.term());
      } else if (isLeader) {
        becomeFollower();
      }
    }
    StateType role = a.soft().raftState();
    boolean candidate = role == StateType.PRE_CANDIDATE || role == StateType.CANDIDATE;
    if (candidate || newLeader == 0) {
      if ((consenters.isEmpty() ? options.consenterIds().size() : consenters.size()) > 2) {
        errorC.get().complete(null);
      }
      if (newLeader == 0) {
        activeNodes = List.of();
      }
    } else if (errorC.get().isDone() && running.get()) {
      errorC.set(new CompletableFuture<>());
    }
    soft = a.soft();
    leader = candidate ? 0 : newLeader;
  }

  private void becomeLeader(long term) {
    isLeader = true;
    justElected = true;
    setAccepting(false);
    blockInflight = 0;
    leaderTerm = term;
  }

  private void becomeFollower() {
    isLeader = false;
    justElected = false;
    blockCreator = null;
    proposed.clear();
    blockInflight = 0;
    configInflight = false;
    timerOn = false;
    int dropped = support.blockCutter().cut().size();
    if (dropped > 0) {
      log.info(
          "[channel: {}, node: {}] no longer leader; discarded {} pending envelopes",
          channel,
          raftId,
          dropped);
    }
    setAccepting(true);
  }

  private void applyEntries(List<Entry> entries) {
    Entry lastEntry = null;
    for (Entry e : entries) {
      lastEntry = e;
      if (e.getType() == EntryType.EntryNormal && !e.getData().isEmpty()) {
        accDataSize += e.getData().size();
        if (e.getIndex() > appliedIndex) {
          writeEntry(e);
        }
      } else if (e.getType() == EntryType.EntryConfChange && e.getIndex() > appliedIndex) {
        confChangeApplied(e);
      }
      appliedIndex = Math.max(appliedIndex, e.getIndex());
    }
    if (lastEntry != null
        && accDataSize >= snapshotIntervalSize
        && lastEntry.getType() == EntryType.EntryNormal
        && !lastEntry.getData().isEmpty()) {
      if (node.takeSnapshot(appliedIndex, confState, lastEntry.getData())) {
        log.info(
            "[channel: {}, node: {}] accumulated {} bytes since last snapshot, taking one at index {}",
            channel,
            raftId,
            accDataSize,
            appliedIndex);
        accDataSize = 0;
      } else {
        log.warn("[channel: {}, node: {}] snapshotting is in progress", channel, raftId);
      }
    }
  }

  private void writeEntry(Entry e) {
    Proposed own = proposed.isEmpty() ? null : proposed.remove(support.height());
    boolean ours = own != null && own.data() == e.getData();
    Block block = ours ? own.block() : parseBlock(e.getData(), "entry " + e.getIndex());
    long number = block.getHeader().getNumber();
    long next = support.height();
    if (number < next) {
      log.debug(
          "[channel: {}, node: {}] block [{}] is already in the ledger", channel, raftId, number);
      return;
    }
    if (number > next) {
      throw new IllegalStateException(
          "channel "
              + channel
              + ": entry "
              + e.getIndex()
              + " carries block ["
              + number
              + "] but the ledger expects ["
              + next
              + "]");
    }
    write(block, e.getIndex(), ours);
    if (isLeader && blockInflight > 0) {
      blockInflight--;
    }
  }

  /**
   * @param own whether the block is the one this leader's block creator made (not parsed back from
   *     an entry)
   */
  private void write(Block block, long raftIndex, boolean own) {
    blockMetadata = blockMetadata.toBuilder().setRaftIndex(raftIndex).build();
    if (isConfigBlock(block)) {
      writeConfigBlock(block);
    } else if (own) {
      support.writeOwnBlock(block, blockMetadata.toByteString());
    } else {
      support.writeBlock(block, blockMetadata.toByteString());
    }
    metrics.blockCommitted(block.getHeader().getNumber());
  }

  /**
   * Fabric's {@code etcdraft.(*Chain).writeConfigBlock}: the consenter change is computed before
   * the block is written so that the block carries the new raft IDs; a rotation reconfigures the
   * transport at once, an addition or removal becomes a raft conf change that the leader proposes
   * and intake stays paused until it is applied.
   */
  private void writeConfigBlock(Block block) {
    configInflight = false;
    Envelope env = envelopeOf(block);
    Optional<EtcdRaftConfig> raft = ConfigEnvelopes.etcdRaft(env, channel);
    ConsenterChange change = null;
    if (raft.isPresent() && !consenters.isEmpty()) {
      change = ConsenterChange.compute(consenters, blockMetadata, raft.get().consenters());
      if (change.changed(consenters)) {
        blockMetadata = change.metadata();
      } else {
        change = null;
      }
      long interval = raft.get().options().snapshotIntervalSize();
      if (interval != 0 && interval != snapshotIntervalSize) {
        log.info(
            "[channel: {}, node: {}] snapshot interval size {} -> {}",
            channel,
            raftId,
            snapshotIntervalSize,
            interval);
        snapshotIntervalSize = interval;
      }
    }
    support.writeConfigBlock(block, blockMetadata.toByteString());
    if (change == null) {
      return;
    }
    Map<Long, RaftConsenter> before = consenters;
    consenters = change.consenters();
    log.info(
        "[channel: {}, node: {}] config block [{}] changes the consenters {} -> {}{}",
        channel,
        raftId,
        block.getHeader().getNumber(),
        before.keySet(),
        consenters.keySet(),
        change.rotated().isPresent()
            ? " (certificates of " + change.rotated().getAsLong() + " rotated)"
            : "");
    if (change.confChange().isEmpty()) {
      membership.consentersChanged(consenters);
      return;
    }
    confChangeInProgress = change.confChange().get();
    if (!consenters.containsKey(raftId)) {
      removalBlock = block.getHeader().getNumber();
      // the leader stops sending to a removed node once it applies the removal, so this node may
      // never learn that the conf change committed: the committed config block decides, and the
      // node helps commit the conf change for two election timeouts at most
      long grace = 2 * options.electionTick() * options.tickInterval().toNanos();
      evictionDeadline = System.nanoTime() + grace;
      log.info(
          "[channel: {}, node: {}] this node is removed from the consenters; it halts once the"
              + " conf change is applied, or in {} ms",
          channel,
          raftId,
          TimeUnit.NANOSECONDS.toMillis(grace));
    }
    if (isLeader) {
      proposeConfChange();
      configInflight = true;
      setAccepting(false);
    }
  }

  /**
   * Proposes the conf change in progress. Raft may drop it (a leadership transfer under way) or
   * turn it into an empty entry (another one still pending); the loop proposes it again after an
   * election timeout until it is applied, a duplicate being a no-op for raft.
   */
  private void proposeConfChange() {
    confChangeRetryAt =
        System.nanoTime() + options.electionTick() * options.tickInterval().toNanos();
    try {
      node.proposeConfChange(leaderTerm, confChangeInProgress);
    } catch (IllegalStateException e) {
      log.warn("[channel: {}, node: {}] {}; retrying later", channel, raftId, e.getMessage());
    }
  }

  /** An EntryConfChange, already applied to raft by the node. */
  private void confChangeApplied(Entry e) {
    ConfChange cc;
    try {
      cc = ConfChange.parseFrom(e.getData());
    } catch (InvalidProtocolBufferException ex) {
      throw new IllegalStateException(
          "channel " + channel + ": conf change entry " + e.getIndex() + " is not decodable", ex);
    }
    if (cc.getNodeId() == 0) {
      return;
    }
    log.info(
        "[channel: {}, node: {}] applied conf change {} of node {} at index {}",
        channel,
        raftId,
        cc.getType(),
        cc.getNodeId(),
        e.getIndex());
    if (confChangeInProgress != null
        && confChangeInProgress.getNodeId() == cc.getNodeId()
        && confChangeInProgress.getType() == cc.getType()) {
      confChangeInProgress = null;
      configInflight = false;
    }
    if (cc.getType() == ConfChangeType.ConfChangeRemoveNode && cc.getNodeId() == raftId) {
      evicted = true;
      return;
    }
    membership.consentersChanged(consenters);
  }

  /**
   * Whether ordering this config would remove the leader or rotate its certificate: the leader then
   * hands leadership over first (Fabric's {@code etcdraft.(*Chain).checkForEvictionNCertRotation},
   * called from {@code ordered}).
   */
  private boolean removesOrRotatesSelf(Envelope configEnv) {
    RaftConsenter self = consenters.get(raftId);
    if (self == null || consenters.size() < 2) {
      return false;
    }
    Optional<EtcdRaftConfig> raft;
    try {
      raft = ConfigEnvelopes.etcdRaft(configEnv, channel);
    } catch (IllegalArgumentException | io.ordo.fabric.channelconfig.ConfigException e) {
      // validated when it was made; a config the leader cannot read fails when it is written
      return false;
    }
    return raft.isPresent()
        && raft.get().consenters().stream()
            .noneMatch(c -> Arrays.equals(c.clientTlsCert(), self.clientTlsCert()));
  }

  /**
   * Transfers leadership, then re-submits the config transaction to the new leader, retrying with
   * an exponential backoff from 5 s / 64 for up to 5 s (Fabric's abdication).
   */
  private void abdicateAndResubmit(SubmitRequest request) {
    if (!abdicating.compareAndSet(false, true)) {
      log.warn(
          "[channel: {}, node: {}] a leadership transfer is already in progress; dropping a"
              + " config transaction that removes this node",
          channel,
          raftId);
      return;
    }
    log.info(
        "[channel: {}, node: {}] config transaction removes or rotates the leader; transferring"
            + " leadership first",
        channel,
        raftId);
    long waitNanos = options.tickInterval().toNanos() * options.electionTick();
    Thread.ofVirtual()
        .name("abdicate-" + channel + "-" + raftId)
        .start(
            () -> {
              try {
                for (int attempt = 1; attempt <= ABDICATION_ATTEMPTS && running.get(); attempt++) {
                  node.transferLeadership();
                  long deadline = System.nanoTime() + waitNanos;
                  while (running.get()
                      && (leader == raftId || leader == 0)
                      && System.nanoTime() - deadline < 0) {
                    LockSupport.parkNanos(WAIT_SLICE_NANOS / 5);
                  }
                  if (leader != raftId && leader != 0) {
                    resubmit(request);
                    return;
                  }
                  log.warn(
                      "[channel: {}, node: {}] leadership transfer attempt {} did not complete",
                      channel,
                      raftId,
                      attempt);
                }
              } finally {
                abdicating.set(false);
              }
            });
  }

  private void resubmit(SubmitRequest request) {
    long delay = TimeUnit.SECONDS.toNanos(5) / 64;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (running.get()) {
      try {
        submit(request, 0);
        log.info(
            "[channel: {}, node: {}] re-submitted the config transaction to leader {}",
            channel,
            raftId,
            leader);
        return;
      } catch (ChainUnavailableException e) {
        if (System.nanoTime() + delay - deadline > 0) {
          log.warn(
              "[channel: {}, node: {}] could not re-submit the config transaction: {}",
              channel,
              raftId,
              e.getMessage());
          return;
        }
        LockSupport.parkNanos(delay);
        delay *= 2;
      }
    }
  }

  private static Envelope envelopeOf(Block block) {
    try {
      return Envelope.parseFrom(block.getData().getData(0));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "block [" + block.getHeader().getNumber() + "] holds an undecodable envelope", e);
    }
  }

  /**
   * A snapshot from the leader: the block it carries is written if it is the next one; when it is
   * further ahead, the blocks in between and the snapshot's block itself are pulled from other
   * orderers first (verified, and kept as those orderers signed them).
   */
  private void catchUp(Snapshot snap) {
    Block block = parseBlock(snap.getData(), "snapshot at index " + snap.getMetadata().getIndex());
    long number = block.getHeader().getNumber();
    long next = support.height();
    if (number == next) {
      write(block, snap.getMetadata().getIndex(), false);
    } else if (number > next) {
      log.info(
          "[channel: {}, node: {}] snapshot at index {} carries block [{}], ledger at [{}]:"
              + " pulling the blocks in between",
          channel,
          raftId,
          snap.getMetadata().getIndex(),
          number,
          next - 1);
      pullUpTo(number);
    }
    appliedIndex = Math.max(appliedIndex, snap.getMetadata().getIndex());
    confState = snap.getMetadata().getConfState();
  }

  /** Pulls and appends the blocks after the ledger's last one up to {@code number}. */
  private void pullUpTo(long number) {
    catchUp.pullUpTo(support, number);
    metrics.blockCommitted(number);
    blockMetadata = readBlockMetadata(support.block(number), options.consenterIds());
    log.info("[channel: {}, node: {}] caught up to block [{}] by pulling", channel, raftId, number);
  }

  private Block parseBlock(ByteString data, String where) {
    try {
      return SharedBytes.parse(Block.parser(), data);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("channel " + channel + ": " + where + " is not a block", e);
    }
  }

  private static boolean isConfigBlock(Block block) {
    if (block.getData().getDataCount() != 1) {
      return false;
    }
    try {
      return Boolean.TRUE.equals(isConfig(Envelope.parseFrom(block.getData().getData(0))));
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }

  /** Whether the envelope is a CONFIG one; null when it has no readable channel header. */
  private static Boolean isConfig(Envelope env) {
    try {
      Payload payload = Payload.parseFrom(env.getPayload());
      if (!payload.hasHeader()) {
        return null;
      }
      ChannelHeader ch = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
      return ch.getType() == HeaderType.CONFIG_VALUE;
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }
}

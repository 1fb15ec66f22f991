package io.ordo.orderer.consensus.etcdraft;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.block.BlockCreator;
import io.ordo.fabric.block.Blocks;
import io.ordo.orderer.blockcutter.BlockCutter;
import io.ordo.orderer.consensus.ChainUnavailableException;
import io.ordo.orderer.consensus.ConsenterSupport;
import io.ordo.orderer.msgprocessor.MessageRejectedException;
import io.ordo.raft.SoftState;
import io.ordo.raft.StateType;
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
import java.util.List;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The etcdraft chain of one channel (Fabric's {@code etcdraft.Chain}). Its loop (the seed's {@code
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

  private final String channel;
  private final long raftId;
  private final ConsenterSupport support;
  private final Options options;
  private final Submitter submitter;
  private final CatchUp catchUp;
  private final Node node;
  private final boolean fresh;
  private final BlockingQueue<SubmitRequest> submitC = new ArrayBlockingQueue<>(SUBMIT_CAPACITY);
  private final java.util.ArrayDeque<SubmitRequest> backlog = new java.util.ArrayDeque<>();
  private final ReentrantLock intakeLock = new ReentrantLock();
  private final Condition intakeOpened = intakeLock.newCondition();

  /** The loop's {@code accepting}, for submitters: they wait while it is false. */
  private volatile boolean intakeOpen = true;

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
  private long leaderTerm;
  private BlockCreator blockCreator;
  private long timerDeadline;
  private boolean timerOn;
  private BlockMetadata blockMetadata;
  private long appliedIndex;
  private long accDataSize;
  private ConfState confState;

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
    this(support, options, transportFactory, submitter, CatchUp.UNSUPPORTED);
  }

  /**
   * As above, with the way to pull the blocks a snapshot is ahead by.
   *
   * @param catchUp pulls missing blocks from other orderers
   */
  public Chain(
      ConsenterSupport support,
      Options options,
      java.util.function.Function<Chain, RaftTransport> transportFactory,
      Submitter submitter,
      CatchUp catchUp) {
    this.catchUp = catchUp;
    this.channel = support.channelId();
    this.raftId = options.raftId();
    this.support = support;
    this.options = options;
    this.submitter = submitter;
    this.blockMetadata =
        readBlockMetadata(support.block(support.height() - 1), options.consenterIds());
    this.appliedIndex = blockMetadata.getRaftIndex();
    this.fresh = !Wal.exists(options.walDir());
    RaftStorage storage =
        RaftStorage.open(
            options.walDir(),
            options.snapDir(),
            new WalMetadata(raftId, channel),
            RaftStorageOptions.defaults());
    this.node = new Node(channel, options, storage, transportFactory.apply(this), this);
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
    submit(request(env, configSeq), 0);
  }

  @Override
  public void configure(Envelope config, long configSeq) {
    submit(request(config, configSeq), 0);
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
      while (!submitC.offer(request, WAIT_SLICE_NANOS, TimeUnit.NANOSECONDS)) {
        checkRunning();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChainUnavailableException("interrupted waiting for the chain", e);
    }
    LockSupport.unpark(loop);
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

  /** A raft message from another consenter (Fabric's {@code Chain.Consensus}). */
  public void consensus(ConsensusRequest request, long sender) {
    try {
      step(Message.parseFrom(request.getPayload()));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          "channel " + channel + ": consensus request from " + sender + " is not a raft message",
          e);
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
    try {
      while (running.get() && failure == null) {
        long catchUpTarget = catchUpRequest.getAndSet(-1);
        if (catchUpTarget >= support.height()) {
          pullUpTo(catchUpTarget);
          continue;
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
          }
          continue;
        }
        long park = timerOn ? Math.max(0, timerDeadline - System.nanoTime()) : WAIT_SLICE_NANOS;
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

  private void serve(SubmitRequest request) {
    if (!isLeader) {
      forwardFromLoop(request);
      return;
    }
    List<List<Envelope>> batches = new ArrayList<>();
    boolean pending = ordered(request, batches);
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
  private boolean ordered(SubmitRequest request, List<List<Envelope>> batches) {
    Envelope env = request.getPayload();
    long seq = request.getLastValidationSeq();
    Boolean config = isConfig(env);
    if (config == null) {
      log.warn(
          "[channel: {}, node: {}] dropping an envelope without a channel header", channel, raftId);
      return support.blockCutter().pendingCount() > 0;
    }
    try {
      if (config) {
        Envelope configEnv = support.processor().revalidateConfig(env, seq).config();
        List<Envelope> pendingBatch = support.blockCutter().cut();
        if (!pendingBatch.isEmpty()) {
          batches.add(pendingBatch);
        }
        batches.add(List.of(configEnv));
        return false;
      }
      support.processor().revalidateNormal(env, seq);
    } catch (MessageRejectedException e) {
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
    node.propose(leaderTerm, block.toByteString());
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
    } else if (isLeader && !justElected && !accepting) {
      setAccepting(!configInflight && blockInflight < options.maxInflightBlocks());
    }
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
      if (newLeader == raftId) {
        becomeLeader(a.term());
      } else if (isLeader) {
        becomeFollower();
      }
    }
    StateType role = a.soft().raftState();
    boolean candidate = role == StateType.PRE_CANDIDATE || role == StateType.CANDIDATE;
    if (candidate || newLeader == 0) {
      if (options.consenterIds().size() > 2) {
        errorC.get().complete(null);
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
      }
      appliedIndex = Math.max(appliedIndex, e.getIndex());
    }
    if (lastEntry != null
        && accDataSize >= options.snapshotIntervalSize()
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
    Block block = parseBlock(e.getData(), "entry " + e.getIndex());
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
    write(block, e.getIndex());
    if (isLeader && blockInflight > 0) {
      blockInflight--;
    }
  }

  private void write(Block block, long raftIndex) {
    blockMetadata = blockMetadata.toBuilder().setRaftIndex(raftIndex).build();
    if (isConfigBlock(block)) {
      // membership changes come with the next step; the block is written as it is
      configInflight = false;
      support.writeConfigBlock(block, blockMetadata.toByteString());
    } else {
      support.writeBlock(block, blockMetadata.toByteString());
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
      write(block, snap.getMetadata().getIndex());
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
    blockMetadata = readBlockMetadata(support.block(number), options.consenterIds());
    log.info("[channel: {}, node: {}] caught up to block [{}] by pulling", channel, raftId, number);
  }

  private Block parseBlock(ByteString data, String where) {
    try {
      return Block.parseFrom(data);
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

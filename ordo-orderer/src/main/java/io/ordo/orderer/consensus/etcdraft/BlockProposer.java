package io.ordo.orderer.consensus.etcdraft;

import com.google.protobuf.ByteString;
import io.ordo.fabric.block.BlockCreator;
import io.ordo.orderer.blockcutter.BlockCutter;
import io.ordo.orderer.consensus.ConsenterSupport;
import io.ordo.orderer.msgprocessor.MessageRejectedException;
import io.ordo.orderer.ops.ChannelLog;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.SubmitRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of the chain loop (Fabric's {@code ordered} and {@code propose}): re-validates
 * envelopes checked at an older config, cuts them into batches with the block cutter and the batch
 * timer, builds each block with the block creator and proposes it to raft, and counts the blocks in
 * flight. Owned by the chain loop; it exists for the whole life of the chain and does nothing while
 * this node follows.
 */
final class BlockProposer {
  private static final Logger log = LoggerFactory.getLogger(BlockProposer.class);

  /** Where blocks go: the raft node. */
  @FunctionalInterface
  interface Proposals {
    /** Proposes a block under {@code term}; raft drops it if the term has passed. */
    void propose(long term, ByteString block);
  }

  /** A block this leader proposed, with the very bytes proposed, and whether it is a config one. */
  record Proposed(ByteString data, Block block, boolean config) {}

  private final String channel;
  private final long raftId;
  private final ConsenterSupport support;
  private final Proposals raft;
  private final int maxInflightBlocks;
  private final EtcdRaftMetrics metrics;

  /**
   * Blocks this leader proposed and has not written yet, by number: an entry that commits those
   * bytes is written from the block in hand, neither parsed back nor hashed again.
   */
  private final Map<Long, Proposed> proposed = new HashMap<>();

  private BlockCreator blockCreator;
  private long leaderTerm;
  private int blockInflight;
  private boolean configInflight;
  private boolean timerOn;
  private long timerDeadline;

  /** When the block cutter last went from empty to holding envelopes. */
  private long pendingSince;

  BlockProposer(
      String channel,
      long raftId,
      ConsenterSupport support,
      Proposals raft,
      int maxInflightBlocks,
      EtcdRaftMetrics metrics) {
    this.channel = channel;
    this.raftId = raftId;
    this.support = support;
    this.raft = raft;
    this.maxInflightBlocks = maxInflightBlocks;
    this.metrics = metrics;
  }

  /** This node was elected in {@code term}; it proposes once it applied the earlier terms. */
  void elected(long term) {
    blockInflight = 0;
    leaderTerm = term;
  }

  /** Everything of earlier terms is applied: blocks follow {@code last}. */
  void startLeading(Block last) {
    blockCreator = new BlockCreator(last.getHeader());
  }

  boolean leading() {
    return blockCreator != null;
  }

  long term() {
    return leaderTerm;
  }

  /**
   * This node no longer leads: what it proposed and did not write, and what the cutter held, are
   * dropped (the raft log decides what was proposed).
   *
   * @return how many envelopes the block cutter held
   */
  int stepDown() {
    blockCreator = null;
    proposed.clear();
    blockInflight = 0;
    configInflight = false;
    timerOn = false;
    return support.blockCutter().cut().size();
  }

  /** Re-validates a normal envelope, cuts what is due and proposes it. */
  void orderNormal(SubmitRequest request) {
    Envelope env = request.getPayload();
    try {
      support.processor().revalidateNormal(env, request.getLastValidationSeq());
    } catch (MessageRejectedException e) {
      dropped(e);
      settleTimer();
      return;
    }
    BlockCutter.Ordered o = support.blockCutter().ordered(env);
    if (o.pending()) {
      startTimer();
    } else {
      timerOn = false;
    }
    for (List<Envelope> batch : o.batches()) {
      propose(batch, false);
    }
  }

  /**
   * The CONFIG envelope to order for a config submission, re-made when the config moved on since it
   * was validated; empty when it no longer passes.
   */
  Optional<Envelope> revalidateConfig(SubmitRequest request) {
    try {
      return Optional.of(
          support
              .processor()
              .revalidateConfig(request.getPayload(), request.getLastValidationSeq())
              .config());
    } catch (MessageRejectedException e) {
      dropped(e);
      settleTimer();
      return Optional.empty();
    }
  }

  /** Proposes what the cutter held, then the config envelope as a block alone. */
  void proposeConfig(Envelope config) {
    List<Envelope> pendingBatch = support.blockCutter().cut();
    if (!pendingBatch.isEmpty()) {
      propose(pendingBatch, false);
    }
    timerOn = false;
    propose(List.of(config), true);
  }

  private void dropped(MessageRejectedException e) {
    metrics.proposalFailed();
    ChannelLog.of(log, channel, raftId)
        .warn("dropping an envelope that no longer passes: {}", e.getMessage());
  }

  /** The batch timer runs while the cutter holds envelopes, and only then. */
  void settleTimer() {
    if (support.blockCutter().pendingCount() > 0) {
      startTimer();
    } else {
      timerOn = false;
    }
  }

  /** Whether the batch timer expired; the loop then calls {@link #batchTimeout}. */
  boolean timerExpired(long nowNanos) {
    return timerOn && nowNanos - timerDeadline >= 0;
  }

  /** Nanoseconds until the batch timer expires, or {@code otherwise} when it is off. */
  long nanosToTimer(long nowNanos, long otherwise) {
    return timerOn ? Math.max(0, timerDeadline - nowNanos) : otherwise;
  }

  /**
   * Proposes what the cutter holds: the batch timer expired, or an idle cut is due. Whether it
   * proposed a block.
   */
  boolean cutPending() {
    timerOn = false;
    if (blockCreator == null) {
      return false;
    }
    List<Envelope> batch = support.blockCutter().cut();
    if (batch.isEmpty()) {
      ChannelLog.of(log, channel, raftId).warn("batch timer expired with no pending requests");
      return false;
    }
    propose(batch, false);
    return true;
  }

  private void startTimer() {
    if (!timerOn) {
      timerOn = true;
      pendingSince = System.nanoTime();
      timerDeadline = pendingSince + support.channelConfig().orderer().batchTimeout().toNanos();
    }
  }

  /**
   * Whether to cut what the cutter holds now although the batch is not full and its timer runs: no
   * block of this leader is in flight and the envelopes waited {@code lingerNanos} with no more
   * coming (the loop asks only when its intake is empty). Clients are answered once their envelopes
   * are in a block, so under a light load nothing more arrives to fill the batch: waiting out the
   * batch timeout would only add latency. Under load blocks are in flight and batches fill.
   */
  boolean idleCutDue(long nowNanos, long lingerNanos) {
    return timerOn && blockInflight == 0 && nowNanos - pendingSince >= lingerNanos;
  }

  /** Nanoseconds until {@link #idleCutDue} would hold, or {@code otherwise} when it cannot. */
  long nanosToIdleCut(long nowNanos, long lingerNanos, long otherwise) {
    return timerOn && blockInflight == 0
        ? Math.max(0, pendingSince + lingerNanos - nowNanos)
        : otherwise;
  }

  private void propose(List<Envelope> batch, boolean config) {
    Block block = blockCreator.createNext(batch.stream().map(Envelope::toByteString).toList());
    ByteString data = block.toByteString();
    proposed.put(block.getHeader().getNumber(), new Proposed(data, block, config));
    raft.propose(leaderTerm, data);
    blockInflight++;
    if (config) {
      configInflight = true;
    }
    // Fabric's words, with the blocks in flight before this one
    ChannelLog.of(log, channel, raftId)
        .info(
            "Created block [{}], there are {} blocks in flight",
            block.getHeader().getNumber(),
            blockInflight - 1);
  }

  /**
   * Whether the intake must pause: a config block or conf change in flight, or max_inflight_blocks
   * blocks proposed and not written.
   */
  boolean mustPause() {
    if (configInflight) {
      ChannelLog.of(log, channel, raftId).info("config block in flight, pausing intake");
      return true;
    }
    if (blockInflight >= maxInflightBlocks) {
      ChannelLog.of(log, channel, raftId)
          .debug("{} blocks in flight, pausing intake", blockInflight);
      return true;
    }
    return false;
  }

  /** Whether intake may open again (checked quietly, on every apply while paused). */
  boolean mayAccept() {
    return !configInflight && blockInflight < maxInflightBlocks;
  }

  boolean configInflight() {
    return configInflight;
  }

  /** Whether nothing is cut, proposed and unwritten, or waiting for the batch timer. */
  boolean idle() {
    return !timerOn && blockInflight == 0 && !configInflight && proposed.isEmpty();
  }

  /** A config block or conf change is (or no longer is) on its way through raft. */
  void configInflight(boolean inflight) {
    configInflight = inflight;
  }

  /** The block this leader proposed as block {@code number}, if it did, now being written. */
  Optional<Proposed> takeProposed(long number) {
    return proposed.isEmpty() ? Optional.empty() : Optional.ofNullable(proposed.remove(number));
  }

  /** A block was written; one fewer of this leader's is in flight. */
  void blockWritten() {
    if (blockInflight > 0) {
      blockInflight--;
    }
  }
}

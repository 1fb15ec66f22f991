package io.ordo.orderer.consensus.etcdraft;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.block.Blocks;
import io.ordo.fabric.block.ConfigBlocks;
import io.ordo.fabric.channelconfig.EtcdRaftConfig;
import io.ordo.fabric.channelconfig.RaftConsenter;
import io.ordo.orderer.consensus.ConsenterSupport;
import io.ordo.orderer.ops.ChannelLog;
import io.ordo.orderer.rpc.SharedBytes;
import io.ordo.raft.pb.ConfChange;
import io.ordo.raft.pb.ConfState;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.EntryType;
import io.ordo.raft.pb.Snapshot;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.etcdraft.BlockMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what raft committed into the channel's ledger, on every node (Fabric's {@code apply} and
 * {@code writeBlock}): each block entry is written in raft-index order exactly once, with the
 * etcdraft BlockMetadata (raft index, consenter IDs); a config block first computes the consenter
 * change it makes; a snapshot ahead of the ledger makes it pull the blocks in between; a snapshot
 * is taken every snapshot_interval_size bytes of entries. Owned by the chain loop; the consenters
 * and the block metadata are also read by other threads (config validation, the transport).
 */
final class BlockApplier implements MembershipChanges.Current {
  private static final Logger log = LoggerFactory.getLogger(BlockApplier.class);

  /** Where snapshots are taken: the raft node. */
  @FunctionalInterface
  interface Snapshots {
    /**
     * Takes a snapshot at {@code index} holding {@code data}, off the caller's thread.
     *
     * @return false when one is still being taken
     */
    boolean take(long index, ConfState confState, ByteString data);
  }

  /** What the chain does when the applier wrote or applied something. */
  interface Listener {
    /** A block was written from a committed entry or a snapshot; {@code config} says its kind. */
    void blockWritten(Block block, boolean config);

    /** Blocks {@code from} to {@code to} were pulled from other orderers and appended. */
    void blocksPulled(long from, long to);

    /**
     * A config block was written; {@code change} is the consenter change it made, if any (the
     * applier already holds the new consenters and block metadata).
     */
    void configBlockWritten(long number, Optional<ConsenterChange> change);

    /** The node applied a conf change entry to raft. */
    void confChangeApplied(long index, ConfChange change);
  }

  private final String channel;
  private final long raftId;
  private final ConsenterSupport support;
  private final Snapshots snapshots;
  private final CatchUp catchUp;
  private final EtcdRaftMetrics metrics;
  private final List<Long> genesisIds;
  private final Listener listener;

  private volatile BlockMetadata blockMetadata;
  private volatile Map<Long, RaftConsenter> consenters;
  private long appliedIndex;
  private long accDataSize;
  private long snapshotIntervalSize;
  private ConfState confState;

  /**
   * @param lastMetadata the etcdraft BlockMetadata of the ledger's last block ({@link #metadataOf})
   * @param confState the raft configuration the node started with
   */
  BlockApplier(
      ConsenterSupport support,
      Options options,
      BlockMetadata lastMetadata,
      ConfState confState,
      Snapshots snapshots,
      CatchUp catchUp,
      EtcdRaftMetrics metrics,
      Listener listener) {
    this.channel = support.channelId();
    this.raftId = options.raftId();
    this.support = support;
    this.snapshots = snapshots;
    this.catchUp = catchUp;
    this.metrics = metrics;
    this.listener = listener;
    this.genesisIds = options.consenterIds();
    this.snapshotIntervalSize = options.snapshotIntervalSize();
    this.blockMetadata = lastMetadata;
    this.consenters =
        support
            .channelConfig()
            .orderer()
            .etcdRaft()
            .map(r -> ConsenterChange.byId(r.consenters(), blockMetadata.getConsenterIdsList()))
            .orElse(Map.of());
    this.appliedIndex = blockMetadata.getRaftIndex();
    this.confState = confState;
  }

  /**
   * The etcdraft BlockMetadata of the last block; a genesis block has none, and then the consenters
   * are numbered 1..n in config order (Fabric's ReadBlockMetadata).
   */
  static BlockMetadata metadataOf(Block last, List<Long> genesisIds) {
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

  /** The consenters by raft ID as the last written config block set them. */
  @Override
  public Map<Long, RaftConsenter> consenters() {
    return consenters;
  }

  /** The etcdraft BlockMetadata of the last written block. */
  @Override
  public BlockMetadata blockMetadata() {
    return blockMetadata;
  }

  /** The raft configuration after what was applied. */
  @Override
  public ConfState confState() {
    return confState;
  }

  long appliedIndex() {
    return appliedIndex;
  }

  void confState(ConfState applied) {
    confState = applied;
  }

  /**
   * Writes the blocks of committed entries not written yet and hands conf change entries to the
   * listener, then takes a snapshot if enough entry bytes accumulated.
   *
   * @param own the block this leader proposed under a number, if it did
   */
  void apply(List<Entry> entries, OwnBlocks own) {
    Entry lastEntry = null;
    for (Entry e : entries) {
      lastEntry = e;
      if (e.getType() == EntryType.EntryNormal && !e.getData().isEmpty()) {
        accDataSize += e.getData().size();
        if (e.getIndex() > appliedIndex) {
          writeEntry(e, own);
        }
      } else if (e.getType() == EntryType.EntryConfChange && e.getIndex() > appliedIndex) {
        listener.confChangeApplied(e.getIndex(), confChangeOf(e));
      }
      appliedIndex = Math.max(appliedIndex, e.getIndex());
    }
    if (lastEntry != null
        && accDataSize >= snapshotIntervalSize
        && lastEntry.getType() == EntryType.EntryNormal
        && !lastEntry.getData().isEmpty()) {
      if (snapshots.take(appliedIndex, confState, lastEntry.getData())) {
        ChannelLog.of(log, channel, raftId)
            .info(
                "accumulated {} bytes since last snapshot, taking one at index {}",
                accDataSize,
                appliedIndex);
        accDataSize = 0;
      } else {
        ChannelLog.of(log, channel, raftId).warn("snapshotting is in progress");
      }
    }
  }

  /** The blocks a leader proposed, by number: written from the block in hand. */
  @FunctionalInterface
  interface OwnBlocks {
    Optional<BlockProposer.Proposed> take(long number);
  }

  private void writeEntry(Entry e, OwnBlocks own) {
    Optional<BlockProposer.Proposed> proposed =
        own.take(support.height()).filter(p -> p.data() == e.getData());
    Block block =
        proposed.isPresent()
            ? proposed.get().block()
            : parseBlock(e.getData(), "entry " + e.getIndex());
    long number = block.getHeader().getNumber();
    long next = support.height();
    if (number < next) {
      ChannelLog.of(log, channel, raftId).debug("block [{}] is already in the ledger", number);
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
    write(block, e.getIndex(), proposed);
  }

  /**
   * @param own the block as this leader's block creator made it, if it did: whether it is a config
   *     block is then known, and its data hash was computed from this very data
   */
  private void write(Block block, long raftIndex, Optional<BlockProposer.Proposed> own) {
    // Fabric's line for every block, which operators follow a channel by
    ChannelLog.of(log, channel, raftId)
        .info(
            "Writing block [{}] (Raft index: {}) to ledger",
            block.getHeader().getNumber(),
            raftIndex);
    blockMetadata = blockMetadata.toBuilder().setRaftIndex(raftIndex).build();
    boolean config =
        own.map(BlockProposer.Proposed::config).orElseGet(() -> ConfigBlocks.isConfigBlock(block));
    if (config) {
      writeConfigBlock(block);
    } else if (own.isPresent()) {
      support.writeOwnBlock(block, blockMetadata.toByteString());
    } else {
      support.writeBlock(block, blockMetadata.toByteString());
    }
    metrics.blockCommitted(block.getHeader().getNumber());
    listener.blockWritten(block, config);
  }

  /**
   * Fabric's {@code writeConfigBlock}: the consenter change is computed before the block is written
   * so that the block carries the new raft IDs.
   */
  private void writeConfigBlock(Block block) {
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
        ChannelLog.of(log, channel, raftId)
            .info("snapshot interval size {} -> {}", snapshotIntervalSize, interval);
        snapshotIntervalSize = interval;
      }
    }
    support.writeConfigBlock(block, blockMetadata.toByteString());
    if (change != null) {
      Map<Long, RaftConsenter> before = consenters;
      consenters = change.consenters();
      ChannelLog.of(log, channel, raftId)
          .info(
              "config block [{}] changes the consenters {} -> {}{}",
              block.getHeader().getNumber(),
              before.keySet(),
              consenters.keySet(),
              change.rotated().isPresent()
                  ? " (certificates of " + change.rotated().getAsLong() + " rotated)"
                  : "");
    }
    listener.configBlockWritten(block.getHeader().getNumber(), Optional.ofNullable(change));
  }

  /**
   * A snapshot from the leader: the block it carries is written if it is the next one; when it is
   * further ahead, the blocks in between and the snapshot's block itself are pulled from other
   * orderers first (verified, and kept as those orderers signed them).
   */
  void catchUp(Snapshot snap) {
    Block block = parseBlock(snap.getData(), "snapshot at index " + snap.getMetadata().getIndex());
    long number = block.getHeader().getNumber();
    long next = support.height();
    if (number == next) {
      write(block, snap.getMetadata().getIndex(), Optional.empty());
    } else if (number > next) {
      ChannelLog.of(log, channel, raftId)
          .info(
              "snapshot at index {} carries block [{}], ledger at [{}]:"
                  + " pulling the blocks in between",
              snap.getMetadata().getIndex(),
              number,
              next - 1);
      pullUpTo(number);
    }
    appliedIndex = Math.max(appliedIndex, snap.getMetadata().getIndex());
    confState = snap.getMetadata().getConfState();
  }

  /** Pulls and appends the blocks after the ledger's last one up to {@code number}. */
  void pullUpTo(long number) {
    long from = support.height();
    catchUp.pullUpTo(support, number);
    listener.blocksPulled(from, number);
    metrics.blockCommitted(number);
    blockMetadata = metadataOf(support.block(number), genesisIds);
    ChannelLog.of(log, channel, raftId).info("caught up to block [{}] by pulling", number);
  }

  private ConfChange confChangeOf(Entry e) {
    try {
      return ConfChange.parseFrom(e.getData());
    } catch (InvalidProtocolBufferException ex) {
      throw new IllegalStateException(
          "channel " + channel + ": conf change entry " + e.getIndex() + " is not decodable", ex);
    }
  }

  private Block parseBlock(ByteString data, String where) {
    try {
      return SharedBytes.parse(Block.parser(), data);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("channel " + channel + ": " + where + " is not a block", e);
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
}

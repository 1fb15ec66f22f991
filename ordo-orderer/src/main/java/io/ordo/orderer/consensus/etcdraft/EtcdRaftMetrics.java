package io.ordo.orderer.consensus.etcdraft;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordo.orderer.ops.FabricBuckets;
import io.ordo.raft.pb.Snapshot;
import io.ordo.storage.RaftStorageOptions;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.hyperledger.fabric.protos.common.BlockHeader;

/**
 * Fabric's {@code consensus_etcdraft_*} meters of one channel that the chain and its raft node
 * update (the gauges read from the chain, is_leader, cluster_size and active_nodes, are registered
 * by the {@link Consenter}). One instance per channel for the life of the process, so that a
 * channel joined again keeps its counters, as Fabric's do.
 */
public final class EtcdRaftMetrics {
  private final String channel;
  private final AtomicLong committedBlock = new AtomicLong();
  private final AtomicLong snapshotBlock = new AtomicLong();
  private final Counter leaderChanges;
  private final Counter proposalFailures;
  private final Counter normalProposals;
  private final Counter configProposals;
  private final Timer dataPersist;
  private final AtomicLong quiet = new AtomicLong();
  private final Counter wakeUps;
  private final EtcdStorageMetrics storage;

  /**
   * @param storage the node's etcd_* meters, which this channel's WAL and snapshots feed
   */
  EtcdRaftMetrics(MeterRegistry registry, String channel, EtcdStorageMetrics storage) {
    this.channel = channel;
    this.storage = storage;
    Gauge.builder("consensus_etcdraft_committed_block_number", committedBlock, AtomicLong::get)
        .description("The block number of the latest block committed.")
        .tag("channel", channel)
        .register(registry);
    Gauge.builder("consensus_etcdraft_snapshot_block_number", snapshotBlock, AtomicLong::get)
        .description("The block number of the latest snapshot.")
        .tag("channel", channel)
        .register(registry);
    leaderChanges =
        counter(registry, "leader_changes", "The number of leader changes since process start.");
    proposalFailures = counter(registry, "proposal_failures", "The number of proposal failures.");
    normalProposals =
        counter(
            registry,
            "normal_proposals_received",
            "The total number of proposals received for normal type transactions.");
    configProposals =
        counter(
            registry,
            "config_proposals_received",
            "The total number of proposals received for config type transactions.");
    Gauge.builder("consensus_etcdraft_is_quiet", quiet, AtomicLong::get)
        .description(
            "Ordo: 1 while the channel is quiet (idle: no raft ticks, no heartbeats) else 0.")
        .tag("channel", channel)
        .register(registry);
    wakeUps = counter(registry, "wake_ups", "Ordo: the number of times the quiet channel woke up.");
    // Fabric's histogram of seconds, written by the operations endpoint under this very name
    dataPersist =
        Timer.builder("consensus_etcdraft_data_persist_duration")
            .description(
                "The time taken for etcd/raft data to be persisted in storage (in seconds).")
            .tag("channel", channel)
            .serviceLevelObjectives(FabricBuckets.DEFAULT.durations())
            .register(registry);
  }

  /** Meters nobody reads, for chains made without a registry (unit tests). */
  public static EtcdRaftMetrics discarding(String channel) {
    return new EtcdRaftMetrics(new SimpleMeterRegistry(), channel, EtcdStorageMetrics.discarding());
  }

  /** The options of this channel's raft storage, which feed the node's etcd_* meters. */
  RaftStorageOptions storageOptions() {
    return storage.storageOptions();
  }

  private Counter counter(MeterRegistry registry, String name, String help) {
    return Counter.builder("consensus_etcdraft_" + name)
        .description(help)
        .tag("channel", channel)
        .register(registry);
  }

  /** The channel went quiet or woke up. */
  void quietChanged(boolean isQuiet) {
    if (quiet.getAndSet(isQuiet ? 1 : 0) == 1 && !isQuiet) {
      wakeUps.increment();
    }
  }

  void leaderChanged() {
    leaderChanges.increment();
  }

  void blockCommitted(long number) {
    committedBlock.set(number);
  }

  void proposalFailed() {
    proposalFailures.increment();
  }

  void normalProposalReceived() {
    normalProposals.increment();
  }

  void configProposalReceived() {
    configProposals.increment();
  }

  /** One Ready's WAL save took {@code nanos}. */
  void dataPersisted(long nanos) {
    dataPersist.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A snapshot was stored (taken, received or found at start); empty ones are ignored. */
  void snapshotStored(Snapshot snapshot) {
    if (snapshot != null && !snapshot.getData().isEmpty()) {
      snapshotBlock.set(blockNumber(snapshot.getData()));
    }
  }

  /** The block number of the latest snapshot, as the gauge shows it. */
  long snapshotBlock() {
    return snapshotBlock.get();
  }

  /** The header's number of a marshalled block, without parsing its data. */
  private long blockNumber(ByteString block) {
    try {
      CodedInputStream in = block.newCodedInput();
      for (int tag; (tag = in.readTag()) != 0; ) {
        if (WireFormat.getTagFieldNumber(tag) == 1) {
          return BlockHeader.parseFrom(in.readBytes()).getNumber();
        }
        in.skipField(tag);
      }
      throw new IllegalStateException("channel " + channel + ": a snapshot's block has no header");
    } catch (IOException e) {
      throw new IllegalStateException(
          "channel " + channel + ": a snapshot's data is not a block", e);
    }
  }
}

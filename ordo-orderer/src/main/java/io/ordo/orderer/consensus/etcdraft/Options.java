package io.ordo.orderer.consensus.etcdraft;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The settings of one channel's raft node and chain (Fabric's {@code etcdraft.Options}), from the
 * channel config's etcdraft options and the orderer's local config.
 *
 * @param raftId this node's raft ID in the channel
 * @param consenterIds the raft IDs of all consenters, as in the last block's BlockMetadata
 * @param walDir the channel's WAL folder (Consensus.WALDir/channel)
 * @param snapDir the channel's snapshot folder (Consensus.SnapDir/channel)
 * @param tickInterval the raft tick
 * @param maxSizePerMsg the channel's preferred max bytes
 * @param snapshotIntervalSize bytes of block data applied between snapshots
 * @param fastFailover whether followers elect a new leader at once when the leader's process is
 *     seen gone (its stream reset or refused), instead of after the election timeout
 * @param leaderWait how long an envelope given without a leader waits for one; zero refuses it at
 *     once
 * @param quietIdle whether the channel goes quiet when idle (no ticks, no heartbeats) with
 *     consenters that do too; see {@link io.ordo.raft.Quiescence}
 */
public record Options(
    long raftId,
    List<Long> consenterIds,
    Path walDir,
    Path snapDir,
    Duration tickInterval,
    int electionTick,
    int heartbeatTick,
    int maxInflightBlocks,
    long maxSizePerMsg,
    long snapshotIntervalSize,
    boolean fastFailover,
    Duration leaderWait,
    boolean quietIdle) {
  /** Fabric's default when the channel says 0: 16 MiB. */
  public static final long DEFAULT_SNAPSHOT_INTERVAL_SIZE = 16L * 1024 * 1024;

  /** With fast failover on and a 7 s leader wait, the defaults; without quiescence. */
  public Options(
      long raftId,
      List<Long> consenterIds,
      Path walDir,
      Path snapDir,
      Duration tickInterval,
      int electionTick,
      int heartbeatTick,
      int maxInflightBlocks,
      long maxSizePerMsg,
      long snapshotIntervalSize) {
    this(
        raftId,
        consenterIds,
        walDir,
        snapDir,
        tickInterval,
        electionTick,
        heartbeatTick,
        maxInflightBlocks,
        maxSizePerMsg,
        snapshotIntervalSize,
        true,
        Duration.ofSeconds(7),
        false);
  }

  public Options {
    consenterIds = List.copyOf(consenterIds);
    if (!consenterIds.contains(raftId)) {
      throw new IllegalArgumentException(
          "raft ID " + raftId + " is not among the consenters " + consenterIds);
    }
    if (tickInterval.isZero() || tickInterval.isNegative()) {
      throw new IllegalArgumentException("tick interval must be positive: " + tickInterval);
    }
    if (maxInflightBlocks <= 0) {
      throw new IllegalArgumentException("max inflight blocks must be positive");
    }
    if (leaderWait.isNegative()) {
      throw new IllegalArgumentException("leader wait must not be negative: " + leaderWait);
    }
    if (snapshotIntervalSize == 0) {
      snapshotIntervalSize = DEFAULT_SNAPSHOT_INTERVAL_SIZE;
    }
  }
}

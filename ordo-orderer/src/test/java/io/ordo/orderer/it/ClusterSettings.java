package io.ordo.orderer.it;

import java.time.Duration;

/**
 * What a {@link ProcessCluster} is made with: its size, the channel's raft and batch settings and
 * the nodes' gRPC message limit.
 *
 * @param size how many nodes have crypto material, ports and an orderer.yaml
 * @param genesisConsenters how many of them (the first ones) are consenters in the genesis block;
 *     the others can be added later by config updates
 * @param snapshotIntervalSize the channel's SnapshotIntervalSize as configtx.yaml writes it
 * @param absoluteMaxBytes BatchSize.AbsoluteMaxBytes: larger envelopes are Broadcast BAD_REQUESTs
 * @param maxRecvMsgSize General.MaxRecvMsgSize: larger gRPC messages are refused by the transport
 * @param proxiedCluster the channel's consenter endpoints name a port of their own per node instead
 *     of the node's cluster port, for a {@link SilentProxy} in between
 */
record ClusterSettings(
    int size,
    int genesisConsenters,
    Duration tick,
    int electionTick,
    Duration batchTimeout,
    int maxMessageCount,
    int absoluteMaxBytes,
    int maxRecvMsgSize,
    String snapshotIntervalSize,
    boolean proxiedCluster) {

  /** Three nodes, 100 ms ticks, elections after 10 ticks, small blocks cut often. */
  static ClusterSettings threeNodes() {
    return new ClusterSettings(
        3,
        3,
        Duration.ofMillis(100),
        10,
        Duration.ofMillis(200),
        50,
        256 * 1024,
        1024 * 1024,
        "16 MB",
        false);
  }

  /** These settings with {@code n} nodes, all consenters. */
  ClusterSettings withNodes(int n) {
    return new ClusterSettings(
        n,
        n,
        tick,
        electionTick,
        batchTimeout,
        maxMessageCount,
        absoluteMaxBytes,
        maxRecvMsgSize,
        snapshotIntervalSize,
        proxiedCluster);
  }

  /** These settings with Fabric's default raft timing: 500 ms ticks, elections after 10. */
  ClusterSettings withFabricTiming() {
    return new ClusterSettings(
        size,
        genesisConsenters,
        Duration.ofMillis(500),
        10,
        batchTimeout,
        maxMessageCount,
        absoluteMaxBytes,
        maxRecvMsgSize,
        snapshotIntervalSize,
        proxiedCluster);
  }

  /** These settings with {@code extra} more nodes that the genesis block does not name. */
  ClusterSettings withExtraNodes(int extra) {
    return new ClusterSettings(
        genesisConsenters + extra,
        genesisConsenters,
        tick,
        electionTick,
        batchTimeout,
        maxMessageCount,
        absoluteMaxBytes,
        maxRecvMsgSize,
        snapshotIntervalSize,
        proxiedCluster);
  }

  /** These settings with another SnapshotIntervalSize and BatchSize.MaxMessageCount. */
  ClusterSettings withSnapshots(String intervalSize, int messagesPerBlock) {
    return new ClusterSettings(
        size,
        genesisConsenters,
        tick,
        electionTick,
        batchTimeout,
        messagesPerBlock,
        absoluteMaxBytes,
        maxRecvMsgSize,
        intervalSize,
        proxiedCluster);
  }

  /**
   * These settings with each node's consenter endpoint on a port of its own, where a test puts a
   * {@link SilentProxy} to the node's cluster port: all raft traffic to a node passes through it.
   */
  ClusterSettings withClusterProxies() {
    return new ClusterSettings(
        size,
        genesisConsenters,
        tick,
        electionTick,
        batchTimeout,
        maxMessageCount,
        absoluteMaxBytes,
        maxRecvMsgSize,
        snapshotIntervalSize,
        true);
  }

  /** The raft election timeout: {@code electionTick} ticks. */
  Duration electionTimeout() {
    return tick.multipliedBy(electionTick);
  }
}

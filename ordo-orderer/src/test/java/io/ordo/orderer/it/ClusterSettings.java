package io.ordo.orderer.it;

import java.time.Duration;

/**
 * What a {@link ProcessCluster} is made with: its size, the channel's raft and batch settings and
 * the nodes' gRPC message limit.
 *
 * @param absoluteMaxBytes BatchSize.AbsoluteMaxBytes: larger envelopes are Broadcast BAD_REQUESTs
 * @param maxRecvMsgSize General.MaxRecvMsgSize: larger gRPC messages are refused by the transport
 */
record ClusterSettings(
    int size,
    Duration tick,
    int electionTick,
    Duration batchTimeout,
    int maxMessageCount,
    int absoluteMaxBytes,
    int maxRecvMsgSize) {

  /** Three nodes, 100 ms ticks, elections after 10 ticks, small blocks cut often. */
  static ClusterSettings threeNodes() {
    return new ClusterSettings(
        3, Duration.ofMillis(100), 10, Duration.ofMillis(200), 50, 256 * 1024, 1024 * 1024);
  }

  /** The raft election timeout: {@code electionTick} ticks. */
  Duration electionTimeout() {
    return tick.multipliedBy(electionTick);
  }
}

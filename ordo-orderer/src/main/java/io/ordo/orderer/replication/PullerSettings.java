package io.ordo.orderer.replication;

import io.ordo.orderer.config.ClusterConfig;
import java.time.Duration;

/**
 * How a {@link BlockPuller} fetches.
 *
 * @param bufferBytes bytes of received blocks held before the stream is paused
 *     (General.Cluster.ReplicationBufferSize)
 * @param pullTimeout longest wait for the next block from one endpoint before failing over
 *     (ReplicationPullTimeout)
 * @param retryTimeout wait after every endpoint failed before trying again
 *     (ReplicationRetryTimeout)
 * @param maxRetries rounds over all endpoints without progress before giving up
 *     (ReplicationMaxRetries)
 * @param dialTimeout connection establishment (DialTimeout)
 * @param maxRecvMsgSize largest Deliver response accepted (General.MaxRecvMsgSize)
 */
public record PullerSettings(
    long bufferBytes,
    Duration pullTimeout,
    Duration retryTimeout,
    int maxRetries,
    Duration dialTimeout,
    int maxRecvMsgSize) {
  public PullerSettings {
    if (bufferBytes <= 0) {
      throw new IllegalArgumentException("bufferBytes must be positive: " + bufferBytes);
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
    }
  }

  public static PullerSettings from(ClusterConfig cluster, int maxRecvMsgSize) {
    return new PullerSettings(
        cluster.replicationBufferSize(),
        cluster.replicationPullTimeout(),
        cluster.replicationRetryTimeout(),
        cluster.replicationMaxRetries(),
        cluster.dialTimeout(),
        maxRecvMsgSize);
  }
}

package io.ordo.orderer.cluster;

import io.ordo.orderer.config.BackoffConfig;
import io.ordo.orderer.config.LocalConfig;
import java.time.Duration;

/**
 * How the cluster client dials and sends.
 *
 * @param sendBufferSize requests queued per remote node (General.Cluster.SendBufferSize)
 * @param rpcTimeout bound of one send, and of a submit's wait (General.Cluster.RPCTimeout)
 * @param dialTimeout connection establishment (General.Cluster.DialTimeout)
 * @param backoff wait before reopening a broken stream, growing per failure (General.Backoff)
 * @param maxRecvMsgSize General.MaxRecvMsgSize
 * @param maxSendMsgSize General.MaxSendMsgSize
 */
public record ClientOptions(
    int sendBufferSize,
    Duration rpcTimeout,
    Duration dialTimeout,
    BackoffConfig backoff,
    int maxRecvMsgSize,
    int maxSendMsgSize) {
  public ClientOptions {
    if (sendBufferSize <= 0) {
      throw new IllegalArgumentException("sendBufferSize must be positive: " + sendBufferSize);
    }
  }

  public static ClientOptions from(LocalConfig config) {
    var g = config.general();
    return new ClientOptions(
        g.cluster().sendBufferSize(),
        g.cluster().rpcTimeout(),
        g.cluster().dialTimeout(),
        g.backoff(),
        g.maxRecvMsgSize(),
        g.maxSendMsgSize());
  }
}

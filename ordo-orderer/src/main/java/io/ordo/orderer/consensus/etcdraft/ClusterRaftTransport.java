package io.ordo.orderer.consensus.etcdraft;

import io.ordo.orderer.cluster.ClusterClient;
import io.ordo.raft.pb.Message;
import org.hyperledger.fabric.protos.orderer.ConsensusRequest;

/**
 * Raft messages as {@code ConsensusRequest}s on the cluster's Step streams (cluster-comm). The
 * client drops a message when the destination's buffer is full and tells its {@code
 * UnreachableListener}, which the node's wiring routes to {@link Node#reportUnreachable}.
 */
public final class ClusterRaftTransport implements RaftTransport {
  private final String channel;
  private final ClusterClient client;

  public ClusterRaftTransport(String channel, ClusterClient client) {
    this.channel = channel;
    this.client = client;
  }

  @Override
  public void send(long to, Message message) {
    client.sendConsensus(
        channel,
        to,
        ConsensusRequest.newBuilder()
            .setChannel(channel)
            .setPayload(message.toByteString())
            .build());
  }
}

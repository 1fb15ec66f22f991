package io.ordo.orderer.consensus.etcdraft;

import com.google.protobuf.ByteString;
import io.ordo.orderer.cluster.ClusterClient;
import io.ordo.raft.pb.Message;
import org.hyperledger.fabric.protos.orderer.ConsensusRequest;

/**
 * Raft messages as {@code ConsensusRequest}s on the cluster's Step streams, as Fabric's {@code
 * cluster.(*RPC).SendConsensus} sends them (orderer/common/cluster/rpc.go). The client drops a
 * message when the destination's buffer is full and tells its {@code UnreachableListener}, which
 * the node's wiring routes to {@link Node#reportUnreachable}.
 */
public final class ClusterRaftTransport implements RaftTransport {
  private final String channel;
  private final ClusterClient client;
  private final java.util.Set<Long> metadataSentTo =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile ByteString metadata = ByteString.EMPTY;

  public ClusterRaftTransport(String channel, ClusterClient client) {
    this.channel = channel;
    this.client = client;
  }

  @Override
  public void send(long to, Message message) {
    ConsensusRequest.Builder request =
        ConsensusRequest.newBuilder().setChannel(channel).setPayload(RaftMessageBytes.of(message));
    ByteString metadata = this.metadata;
    if (!metadata.isEmpty() && metadataSentTo.add(to)) {
      request.setMetadata(metadata);
    }
    client.sendConsensus(channel, to, request.build());
  }

  /**
   * A ConsensusRequest with an empty payload: Ordo's cluster service takes it as contact only, and
   * Fabric's reads it as a local raft message, which its node ignores.
   */
  @Override
  public void announce(java.util.Collection<Long> to) {
    ConsensusRequest probe = ConsensusRequest.newBuilder().setChannel(channel).build();
    for (long id : to) {
      client.sendConsensus(channel, id, probe);
    }
  }

  @Override
  public void disseminate(ByteString metadata) {
    this.metadata = metadata;
    metadataSentTo.clear();
  }
}

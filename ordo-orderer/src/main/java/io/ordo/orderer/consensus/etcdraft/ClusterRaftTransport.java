package io.ordo.orderer.consensus.etcdraft;

import com.google.protobuf.ByteString;
import io.ordo.orderer.cluster.ClusterClient;
import io.ordo.orderer.cluster.OrdoMarks;
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

  /** The mark on every consensus request: whether this node quiesces idle channels. */
  private final long marks;

  public ClusterRaftTransport(String channel, ClusterClient client) {
    this(channel, client, false);
  }

  /**
   * @param quiesces whether this node quiesces idle channels, which every consensus request it
   *     sends tells the receiver ({@link OrdoMarks#QUIESCES}; Fabric's orderer ignores the mark)
   */
  public ClusterRaftTransport(String channel, ClusterClient client, boolean quiesces) {
    this.channel = channel;
    this.client = client;
    this.marks = quiesces ? OrdoMarks.QUIESCES : 0;
  }

  @Override
  public boolean quiesces() {
    return marks != 0;
  }

  @Override
  public void sendQuiesce(long to, Message heartbeat) {
    client.sendConsensus(
        channel,
        to,
        OrdoMarks.mark(
                ConsensusRequest.newBuilder()
                    .setChannel(channel)
                    .setPayload(RaftMessageBytes.of(heartbeat)),
                marks | OrdoMarks.QUIESCE)
            .build());
  }

  @Override
  public void send(long to, Message message) {
    ConsensusRequest.Builder request =
        OrdoMarks.mark(
            ConsensusRequest.newBuilder()
                .setChannel(channel)
                .setPayload(RaftMessageBytes.of(message)),
            marks);
    ByteString metadata = this.metadata;
    if (!metadata.isEmpty() && metadataSentTo.add(to)) {
      request.setMetadata(metadata);
    }
    client.sendConsensus(channel, to, request.build());
  }

  /**
   * A raft MsgBeat from {@code self} to each of {@code to}: a local message type, which etcd raft
   * (Fabric's) and Ordo's raft drop when it comes from the network, addressed to the recipient's
   * own raft ID because Fabric's chain halts on a message addressed to another ID (it takes that
   * for its own ID being out of date).
   */
  @Override
  public void announce(long self, java.util.Collection<Long> to) {
    for (long id : to) {
      Message beat =
          Message.newBuilder()
              .setType(io.ordo.raft.pb.MessageType.MsgBeat)
              .setFrom(self)
              .setTo(id)
              .build();
      client.announce(
          channel,
          id,
          OrdoMarks.mark(
                  ConsensusRequest.newBuilder().setChannel(channel).setPayload(beat.toByteString()),
                  marks)
              .build());
    }
  }

  @Override
  public void disseminate(ByteString metadata) {
    this.metadata = metadata;
    metadataSentTo.clear();
  }
}

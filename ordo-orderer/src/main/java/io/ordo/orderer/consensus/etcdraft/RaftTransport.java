package io.ordo.orderer.consensus.etcdraft;

import io.ordo.raft.pb.Message;

/**
 * How a node's raft messages reach the other consenters of its channel. Received messages come back
 * through {@link Node#step}; failures are reported to {@link Node#reportUnreachable}.
 */
public interface RaftTransport {
  /**
   * Hands a message over without blocking on the network.
   *
   * @throws RaftTransport.SendFailedException when it could not be handed over (unknown node, full
   *     buffer); raft retries
   */
  void send(long to, Message message);

  /**
   * Attaches {@code metadata} (a marshaled ClusterMetadata) to the next message to each
   * destination, once, as Fabric's {@code etcdraft.(*Disseminator).SendConsensus} does
   * (orderer/consensus/etcdraft/disseminator.go); transports that carry no metadata ignore it.
   */
  default void disseminate(com.google.protobuf.ByteString metadata) {}

  /** A message could not be handed to the destination's stream. */
  final class SendFailedException extends RuntimeException {
    public SendFailedException(String message) {
      super(message);
    }
  }
}

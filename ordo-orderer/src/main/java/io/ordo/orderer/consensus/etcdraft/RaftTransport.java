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

  /**
   * Tells the other consenters {@code to} that node {@code self} is up, with a message their raft
   * ignores: a restarted follower has nothing to send until it hears from the leader, and a leader
   * that backed off its stream while the node was down would otherwise wait out that backoff (or
   * the follower its election timeout) before the two talk again. Transports that need no telling
   * ignore it.
   */
  default void announce(long self, java.util.Collection<Long> to) {}

  /** A message could not be handed to the destination's stream. */
  final class SendFailedException extends RuntimeException {
    public SendFailedException(String message) {
      super(message);
    }
  }
}

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

  /**
   * Sends a quiesce heartbeat (see {@link io.ordo.raft.Quiescence}): a raft MsgHeartbeat marked so
   * that the receiving node's chain, not its raft, looks at it first. Only called for consenters
   * that said they quiesce (their messages came with {@link #quiesces}' mark).
   *
   * @throws SendFailedException as {@link #send}
   */
  default void sendQuiesce(long to, Message heartbeat) {
    throw new SendFailedException("this transport cannot quiesce a channel");
  }

  /**
   * Whether this node tells the other consenters that it quiesces idle channels (an Ordo node with
   * Consensus.QuietIdleChannels on); leaders let a channel go quiet only with such followers.
   */
  default boolean quiesces() {
    return false;
  }

  /** A message could not be handed to the destination's stream. */
  final class SendFailedException extends RuntimeException {
    public SendFailedException(String message) {
      super(message);
    }
  }
}

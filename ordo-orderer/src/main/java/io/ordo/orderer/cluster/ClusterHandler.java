package io.ordo.orderer.cluster;

import org.hyperledger.fabric.protos.orderer.ConsensusRequest;
import org.hyperledger.fabric.protos.orderer.SubmitRequest;

/**
 * Where the cluster server hands authenticated requests: the chain of the request's channel.
 * Throwing ends the sender's stream with the exception's message, as Fabric does.
 */
public interface ClusterHandler {
  /**
   * @param sender the raft ID of the consenter that sent it
   */
  void onConsensus(String channel, ConsensusRequest request, long sender);

  void onSubmit(String channel, SubmitRequest request, long sender);

  /**
   * Consenter {@code sender} of {@code channel} (the channel it named, one of those the two nodes
   * share) is alive: the heartbeat an Ordo node sends each Ordo node it shares a quiet channel with
   * ({@link OrdoMarks#PAIR_HEARTBEAT}).
   */
  default void onPairHeartbeat(String channel, long sender) {}
}

package io.ordo.orderer.consensus.etcdraft;

import io.ordo.orderer.cluster.ClusterClient;
import org.hyperledger.fabric.protos.orderer.SubmitRequest;

/** How a follower forwards a client's envelope to the leader (Fabric's {@code rpc.SendSubmit}). */
@FunctionalInterface
public interface Submitter {
  /**
   * @throws RuntimeException when the leader could not be reached in time (e.g. the cluster's
   *     "timed out (7s) waiting on forwarding to 2")
   */
  void submit(long leader, SubmitRequest request);

  /** Forwarding over the cluster's Step streams. */
  static Submitter over(String channel, ClusterClient client) {
    return (leader, request) -> client.sendSubmit(channel, leader, request);
  }
}

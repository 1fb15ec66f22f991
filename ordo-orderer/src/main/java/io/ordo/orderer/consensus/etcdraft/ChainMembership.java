package io.ordo.orderer.consensus.etcdraft;

import io.ordo.fabric.channelconfig.RaftConsenter;
import java.util.Map;

/**
 * How a chain tells the cluster transport about its consenters: after a certificate rotation at the
 * config block, and after a raft conf change that adds or removes a consenter is applied.
 */
@FunctionalInterface
public interface ChainMembership {
  /**
   * @param consenters raft ID to consenter, this node included
   */
  void consentersChanged(Map<Long, RaftConsenter> consenters);

  /** For chains whose transport needs no telling (in-memory tests). */
  static ChainMembership none() {
    return consenters -> {};
  }
}

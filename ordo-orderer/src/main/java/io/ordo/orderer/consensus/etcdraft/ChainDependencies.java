package io.ordo.orderer.consensus.etcdraft;

import io.ordo.orderer.consensus.ConsenterSupport;

/**
 * What an {@link EtcdRaftChain} is made from, besides its raft storage (opened from {@code
 * options}).
 *
 * @param support the channel's ledger, config, cutter and processor
 * @param options the channel's raft settings and this node's raft ID
 * @param transport sends this node's raft messages
 * @param submitter forwards envelopes to the leader
 * @param membership told after a certificate rotation and after each applied raft conf change
 * @param catchUp pulls the blocks a snapshot is ahead by from other orderers
 * @param lifecycle told when the chain starts and after it halted
 * @param metrics Fabric's etcdraft metrics of the channel
 */
public record ChainDependencies(
    ConsenterSupport support,
    Options options,
    RaftTransport transport,
    Submitter submitter,
    ChainMembership membership,
    CatchUp catchUp,
    Lifecycle lifecycle,
    EtcdRaftMetrics metrics) {

  /** Told when the chain starts and when it was halted by its owner. */
  public interface Lifecycle {
    Lifecycle NONE = new Lifecycle() {};

    default void started() {}

    default void halted() {}

    /** The channel went quiet, or woke up (see {@link io.ordo.raft.Quiescence}). */
    default void quietChanged(boolean quiet) {}
  }

  /** A chain whose transport and submitter are given, and nothing else (tests, one process). */
  public static ChainDependencies of(
      ConsenterSupport support,
      Options options,
      RaftTransport transport,
      Submitter submitter,
      CatchUp catchUp) {
    return new ChainDependencies(
        support,
        options,
        transport,
        submitter,
        ChainMembership.none(),
        catchUp,
        Lifecycle.NONE,
        EtcdRaftMetrics.discarding(support.channelId()));
  }
}

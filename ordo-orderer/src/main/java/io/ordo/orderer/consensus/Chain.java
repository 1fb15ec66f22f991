package io.ordo.orderer.consensus;

import java.util.concurrent.CompletableFuture;
import org.hyperledger.fabric.protos.common.Envelope;

/**
 * The ordering of one channel, as Fabric's {@code consensus.Chain}: envelopes go in through {@link
 * #order} and {@link #configure}, blocks come out in the channel's ledger.
 */
public interface Chain {
  /**
   * Accepts a validated normal envelope for ordering.
   *
   * @param configSeq the config sequence the envelope was validated against
   * @return completes once the envelope is in a block this node wrote; fails with {@link
   *     ChainUnavailableException} when the chain gives up on it (it stopped, or the envelope did
   *     not reach a block in time), and the client must then be told it was not ordered
   * @throws ChainUnavailableException when the chain is not started, stopped, or knows no leader
   */
  CompletableFuture<Void> order(Envelope env, long configSeq);

  /**
   * Accepts a validated normal envelope as {@link #order} does if that takes no waiting; null,
   * having done nothing, leaves the envelope to {@link #order} on a thread that may wait. The
   * default never accepts.
   *
   * @throws ChainUnavailableException as {@link #order}
   */
  default CompletableFuture<Void> tryOrder(Envelope env, long configSeq) {
    return null;
  }

  /**
   * Accepts a CONFIG envelope made by this orderer from a config update; it will be a block alone.
   *
   * @return as {@link #order}
   * @throws ChainUnavailableException as {@link #order}
   */
  CompletableFuture<Void> configure(Envelope config, long configSeq);

  /**
   * Blocks while the chain does not take new envelopes (a leader with too many blocks in flight or
   * a config block in flight): the back-pressure Broadcast clients see.
   *
   * @throws ChainUnavailableException when the chain is not started or stopped
   */
  void waitReady();

  /**
   * Completes when the chain cannot serve: halted, or (with more than two consenters) no leader is
   * known. A new future is handed out once a leader is known again.
   */
  CompletableFuture<Void> errored();

  /**
   * The consensus-specific checks of a config update, run when it is validated (Fabric's
   * MetadataValidator): etcdraft refuses consenter changes that would lose the quorum.
   *
   * @throws RuntimeException naming the broken rule; Broadcast answers BAD_REQUEST
   */
  default void validateConsensusMetadata(
      io.ordo.fabric.channelconfig.ChannelConfig current,
      io.ordo.fabric.channelconfig.ChannelConfig next) {}

  /**
   * The number of the block in the newest snapshot of the chain's consensus state (etcdraft's raft
   * snapshot), 0 when there is none: a node that prunes its ledger keeps the blocks from it on,
   * since a member that receives that snapshot pulls the blocks up to it from the others.
   */
  default long snapshotBlock() {
    return 0;
  }

  /** Starts the chain's threads; called once. */
  void start();

  /** Stops the chain's threads and releases its resources; idempotent. */
  void halt();
}

package io.ordo.orderer.broadcast;

import io.ordo.orderer.msgprocessor.StandardChannel;
import java.util.concurrent.CompletableFuture;
import org.hyperledger.fabric.protos.common.Envelope;

/**
 * What Broadcast needs from one channel: its message processor and the chain's intake. Any runtime
 * exception from {@link #waitReady}, {@link #order} or {@link #configure}, and any failure of the
 * future they return, is answered SERVICE_UNAVAILABLE with the exception's message as info ("no
 * Raft leader", "chain is stopped", an envelope not ordered in time...), as Fabric does for every
 * error of these calls. SUCCESS is answered once the returned future completes: the envelope is in
 * a block.
 */
public interface BroadcastSupport {
  StandardChannel processor();

  /**
   * Returns once the chain accepts submissions; may block while the leader has paused intake (it is
   * called on a virtual thread).
   */
  void waitReady();

  /**
   * Hands a validated normal envelope to the chain.
   *
   * @return completes once the envelope is in a block; fails when it will not be
   */
  CompletableFuture<Void> order(Envelope envelope, long configSeq);

  /**
   * Hands a validated normal envelope to the chain as {@link #order} does if that takes no waiting;
   * null, having done nothing, when it would wait (then {@link #waitReady} and {@link #order}
   * follow on a virtual thread). Called on the validation pool, which must never block.
   */
  default CompletableFuture<Void> tryOrder(Envelope envelope, long configSeq) {
    return null;
  }

  /** Hands a CONFIG envelope made by this orderer to the chain; returns as {@link #order}. */
  CompletableFuture<Void> configure(Envelope config, long configSeq);
}

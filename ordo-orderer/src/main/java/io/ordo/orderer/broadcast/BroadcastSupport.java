package io.ordo.orderer.broadcast;

import io.ordo.orderer.msgprocessor.StandardChannel;
import org.hyperledger.fabric.protos.common.Envelope;

/**
 * What Broadcast needs from one channel: its message processor and the chain's intake. Any runtime
 * exception from {@link #waitReady}, {@link #order} or {@link #configure} is answered
 * SERVICE_UNAVAILABLE with the exception's message as info ("no Raft leader", "chain is stopped", a
 * full submit queue...), as Fabric does for every error of these calls.
 */
public interface BroadcastSupport {
  StandardChannel processor();

  /**
   * Returns once the chain accepts submissions; may block while the leader has paused intake (it is
   * called on a virtual thread).
   */
  void waitReady();

  /** Hands a validated normal envelope to the chain. */
  void order(Envelope envelope, long configSeq);

  /**
   * Hands a validated normal envelope to the chain as {@link #order} does if that takes no waiting;
   * false, having done nothing, when it would wait (then {@link #waitReady} and {@link #order}
   * follow on a virtual thread). Called on the validation pool, which must never block.
   */
  default boolean tryOrder(Envelope envelope, long configSeq) {
    return false;
  }

  /** Hands a CONFIG envelope made by this orderer to the chain. */
  void configure(Envelope config, long configSeq);
}

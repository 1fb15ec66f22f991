package io.ordo.orderer.broadcast;

import io.ordo.orderer.consensus.Chain;
import io.ordo.orderer.msgprocessor.StandardChannel;

/**
 * What Broadcast needs from one channel: its message processor and its chain. Any runtime exception
 * from the chain's {@code waitReady}, {@code order} or {@code configure}, and any failure of the
 * future they return, is answered SERVICE_UNAVAILABLE with the exception's message as info ("no
 * Raft leader", "chain is stopped", an envelope not ordered in time...), as Fabric does for every
 * error of these calls. SUCCESS is answered once the returned future completes: the envelope is in
 * a block. {@code tryOrder} is called on the validation pool, which must never block; {@code
 * waitReady} and {@code order} follow on a virtual thread when it would.
 */
public interface BroadcastSupport {
  StandardChannel processor();

  Chain chain();
}

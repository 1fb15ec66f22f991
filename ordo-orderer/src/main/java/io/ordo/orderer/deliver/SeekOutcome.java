package io.ordo.orderer.deliver;

import org.hyperledger.fabric.protos.common.Status;

/** A Deliver request after its checks: refused with a status, or a plan to serve. */
sealed interface SeekOutcome {
  /**
   * @param firstHeld the ledger's first block when the start was pruned, else -1
   */
  record Refused(Status status, String channel, String reason, long firstHeld)
      implements SeekOutcome {
    Refused(Status status, String channel, String reason) {
      this(status, channel, reason, -1);
    }
  }

  record Serve(SeekPlan plan) implements SeekOutcome {}
}

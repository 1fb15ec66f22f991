package io.ordo.orderer.deliver;

import org.hyperledger.fabric.protos.common.Status;

/** A Deliver request after its checks: refused with a status, or a plan to serve. */
sealed interface SeekOutcome {
  record Refused(Status status, String channel, String reason) implements SeekOutcome {}

  record Serve(SeekPlan plan) implements SeekOutcome {}
}

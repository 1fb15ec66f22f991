package io.ordo.orderer.broadcast;

import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;

/** The outcome of checking one envelope, before the chain sees it. */
sealed interface Validated {
  /** Channel id for metrics and logs ("unknown" until the header decodes). */
  String channel();

  /** Header type name for metrics ("unknown" until the header decodes). */
  String type();

  /** Refused: the answer is final. */
  record Refused(Status status, String info, String channel, String type) implements Validated {}

  /** Passed the checks: to be ordered (normal) or configured (CONFIG made from an update). */
  record Accepted(
      BroadcastSupport support,
      Envelope envelope,
      long configSeq,
      boolean isConfig,
      String channel,
      String type)
      implements Validated {}
}

package io.ordo.orderer.msgprocessor;

import io.ordo.fabric.channelconfig.OrdererConfig;
import org.hyperledger.fabric.protos.orderer.ConsensusType;

/**
 * The rules for ConsensusType changes in a config update: outside maintenance mode the type must
 * stay; entering or leaving maintenance must not change the type at the same time; in maintenance
 * the type may only move from etcdraft to BFT.
 */
final class MaintenanceFilter {
  private MaintenanceFilter() {}

  static void check(OrdererConfig current, OrdererConfig next) {
    boolean wasMaintenance = current.consensusState() == ConsensusType.State.STATE_MAINTENANCE;
    boolean isMaintenance = next.consensusState() == ConsensusType.State.STATE_MAINTENANCE;
    boolean typeChanges = !current.consensusType().equals(next.consensusType());
    if (!typeChanges) {
      return;
    }
    if (!wasMaintenance) {
      throw bad(
          "attempted to change consensus type from "
              + current.consensusType()
              + " to "
              + next.consensusType()
              + " outside of maintenance mode");
    }
    if (!isMaintenance) {
      throw bad("attempted to change consensus type and exit maintenance mode at the same time");
    }
    if (!(current.consensusType().equals("etcdraft") && next.consensusType().equals("BFT"))) {
      throw bad(
          "attempted to change consensus type from "
              + current.consensusType()
              + " to "
              + next.consensusType()
              + "; only etcdraft to BFT is supported");
    }
  }

  private static MessageRejectedException bad(String message) {
    return new MessageRejectedException(MessageRejectedException.Reason.BAD_REQUEST, message);
  }
}

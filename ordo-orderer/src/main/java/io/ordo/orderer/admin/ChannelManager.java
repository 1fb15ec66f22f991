package io.ordo.orderer.admin;

import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;

/** What the participation API asks of the node (Fabric's registrar side of it). */
public interface ChannelManager {
  List<ChannelInfo> channels();

  Optional<ChannelInfo> channel(String channelId);

  /**
   * Ordo's ledger details of a channel for the detailed view; empty when its ledger is not open.
   */
  default Optional<LedgerDetails> ledgerDetails(String channelId) {
    return Optional.empty();
  }

  /**
   * Joins the channel whose config block this is (structurally checked already).
   *
   * @throws ChannelManagerException when refused
   */
  ChannelInfo join(String channelId, Block configBlock);

  /**
   * Starts removing the channel; returns once it is marked for removal.
   *
   * @throws ChannelManagerException when refused
   */
  void remove(String channelId);
}

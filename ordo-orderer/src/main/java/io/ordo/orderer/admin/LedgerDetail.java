package io.ordo.orderer.admin;

import java.util.Optional;

/** The ledger part of a channel's detailed view: its first block held and the node's KeepBlocks. */
public record LedgerDetail(ChannelManager manager) implements ChannelDetail {
  @Override
  public String key() {
    return "ledger";
  }

  @Override
  public Optional<Object> of(String channel) {
    return manager.ledgerDetails(channel).map(LedgerDetails::json);
  }
}

package io.ordo.orderer.deliver;

import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.storage.ledger.BlockLedger;
import java.util.concurrent.CompletableFuture;

/** What Deliver needs from one channel. */
public interface DeliverSupport {
  BlockLedger ledger();

  /** The channel's current config: its policies decide who may read. */
  ChannelConfig config();

  /**
   * Fabric's Errored(): a future that completes when the chain is in error (no known leader in a
   * cluster of more than two); already complete while it is. A fresh, incomplete one is handed out
   * once a leader is known again.
   */
  CompletableFuture<Void> errored();
}

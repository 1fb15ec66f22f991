package io.ordo.orderer.msgprocessor;

import io.ordo.fabric.channelconfig.ChannelConfig;

/** One of the standard channel filters. */
interface Rule {
  /**
   * @param config the channel config the whole check runs against (one snapshot, so that the
   *     returned config sequence matches what was checked)
   * @throws MessageRejectedException when the envelope is refused
   */
  void apply(ChannelConfig config, CheckedEnvelope checked);
}

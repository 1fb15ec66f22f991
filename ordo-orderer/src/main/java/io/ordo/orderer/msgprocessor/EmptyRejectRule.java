package io.ordo.orderer.msgprocessor;

import io.ordo.fabric.channelconfig.ChannelConfig;

/** Refuses an envelope without payload. */
final class EmptyRejectRule implements Rule {
  @Override
  public void apply(ChannelConfig config, CheckedEnvelope checked) {
    if (checked.envelope().getPayload().isEmpty()) {
      throw new MessageRejectedException(
          MessageRejectedException.Reason.BAD_REQUEST, "Message was empty");
    }
  }
}

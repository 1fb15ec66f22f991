package io.ordo.orderer.msgprocessor;

import io.ordo.fabric.channelconfig.ChannelConfig;
import org.hyperledger.fabric.protos.common.Envelope;

/** Refuses an envelope without payload. */
final class EmptyRejectRule implements Rule {
  @Override
  public void apply(ChannelConfig config, Envelope envelope) {
    if (envelope.getPayload().isEmpty()) {
      throw new MessageRejectedException(
          MessageRejectedException.Reason.BAD_REQUEST, "Message was empty");
    }
  }
}

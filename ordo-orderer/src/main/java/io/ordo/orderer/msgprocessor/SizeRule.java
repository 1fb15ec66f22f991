package io.ordo.orderer.msgprocessor;

import io.ordo.fabric.channelconfig.ChannelConfig;
import org.hyperledger.fabric.protos.common.Envelope;

/** Refuses an envelope whose payload plus signature exceed BatchSize.absolute_max_bytes. */
final class SizeRule implements Rule {
  @Override
  public void apply(ChannelConfig config, CheckedEnvelope checked) {
    long max = config.orderer().batchSize().absoluteMaxBytes();
    Envelope envelope = checked.envelope();
    long size = (long) envelope.getPayload().size() + envelope.getSignature().size();
    if (size > max) {
      throw new MessageRejectedException(
          MessageRejectedException.Reason.BAD_REQUEST,
          "message payload is " + size + " bytes and exceeds maximum allowed " + max + " bytes");
    }
  }
}

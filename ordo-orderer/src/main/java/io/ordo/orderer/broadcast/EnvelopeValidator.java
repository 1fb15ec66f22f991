package io.ordo.orderer.broadcast;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.configtx.ChannelIds;
import io.ordo.orderer.msgprocessor.BroadcastStatus;
import io.ordo.orderer.msgprocessor.CheckedEnvelope;
import io.ordo.orderer.msgprocessor.ConfigMessage;
import io.ordo.orderer.msgprocessor.StandardChannel;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.Status;

/**
 * Fabric's BroadcastChannelSupport followed by ProcessNormalMsg / ProcessConfigUpdateMsg: finds the
 * channel, classifies the envelope and runs the message processor. Thread-safe; runs on the
 * validation pool.
 */
final class EnvelopeValidator {
  static final String UNKNOWN = "unknown";

  private final BroadcastChannels channels;

  EnvelopeValidator(BroadcastChannels channels) {
    this.channels = channels;
  }

  Validated validate(Envelope envelope) {
    CheckedEnvelope checked = new CheckedEnvelope(envelope);
    ChannelHeader header;
    try {
      header = channelHeader(checked);
    } catch (IllegalArgumentException e) {
      return new Validated.Refused(
          Status.BAD_REQUEST,
          "could not determine channel ID: " + e.getMessage(),
          UNKNOWN,
          UNKNOWN);
    }
    String channel = header.getChannelId();
    String type = typeName(header.getType());
    // an ID the node does not hold is the client's text: it names no metric label
    Optional<String> badId = ChannelIds.problem(channel);
    if (badId.isPresent()) {
      return new Validated.Refused(
          Status.BAD_REQUEST, "bad channel ID: " + badId.get(), UNKNOWN, type);
    }
    Optional<BroadcastSupport> found = channels.channel(channel);
    if (found.isEmpty()) {
      return new Validated.Refused(Status.BAD_REQUEST, "channel does not exist", UNKNOWN, type);
    }
    BroadcastSupport support = found.get();
    StandardChannel processor = support.processor();
    try {
      return switch (processor.classify(header)) {
        case CONFIG ->
            new Validated.Refused(
                Status.BAD_REQUEST,
                "message is of type that cannot be processed directly",
                channel,
                type);
        case ORDERER_TRANSACTION ->
            new Validated.Refused(
                Status.BAD_REQUEST,
                "message is of type that is no longer supported",
                channel,
                type);
        case NORMAL -> {
          long seq = processor.processNormalMsg(checked);
          yield new Validated.Accepted(support, envelope, seq, false, channel, type);
        }
        case CONFIG_UPDATE -> {
          ConfigMessage config = processor.processConfigUpdateMsg(envelope);
          yield new Validated.Accepted(
              support, config.config(), config.configSeq(), true, channel, type);
        }
      };
    } catch (RuntimeException e) {
      return new Validated.Refused(
          BroadcastStatus.of(e), String.valueOf(e.getMessage()), channel, type);
    }
  }

  /** protoutil.ChannelHeader, with its error texts. */
  private static ChannelHeader channelHeader(CheckedEnvelope envelope) {
    Payload payload;
    try {
      payload = envelope.payload();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("error unmarshalling Payload: " + e.getMessage(), e);
    }
    if (!payload.hasHeader()) {
      throw new IllegalArgumentException("header not set");
    }
    if (payload.getHeader().getChannelHeader().isEmpty()) {
      throw new IllegalArgumentException("channel header not set");
    }
    try {
      return ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          "error unmarshalling channel header: " + e.getMessage(), e);
    }
  }

  /** Go's HeaderType.String(): the name, or the number for types the protos do not name. */
  /** The header type's name; a number no type has is "UNKNOWN", so labels stay a small set. */
  static String typeName(int type) {
    HeaderType t = HeaderType.forNumber(type);
    return t == null ? UNKNOWN : t.name();
  }
}

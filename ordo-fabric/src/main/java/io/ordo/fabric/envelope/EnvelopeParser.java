package io.ordo.fabric.envelope;

import static io.ordo.fabric.envelope.MalformedEnvelopeException.Reason;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * Decodes Envelope, Payload, ChannelHeader and SignatureHeader, refusing anything over a size bound
 * before decoding so that a hostile client cannot make the orderer allocate without limit.
 */
public final class EnvelopeParser {
  private final long maxEnvelopeBytes;

  /**
   * @param maxEnvelopeBytes the largest marshaled envelope accepted (gRPC's limit is 100 MiB)
   */
  public EnvelopeParser(long maxEnvelopeBytes) {
    if (maxEnvelopeBytes <= 0) {
      throw new IllegalArgumentException("maxEnvelopeBytes must be positive: " + maxEnvelopeBytes);
    }
    this.maxEnvelopeBytes = maxEnvelopeBytes;
  }

  public ParsedEnvelope parse(byte[] envelopeBytes) {
    if (envelopeBytes.length > maxEnvelopeBytes) {
      throw tooLarge(envelopeBytes.length);
    }
    try {
      return parse(Envelope.parseFrom(envelopeBytes));
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedEnvelopeException(
          Reason.BAD_PAYLOAD, "not an Envelope: " + e.getMessage(), e);
    }
  }

  public ParsedEnvelope parse(Envelope envelope) {
    return parse(envelope, () -> Payload.parseFrom(envelope.getPayload()));
  }

  /** Decodes an envelope's payload; lets a caller that already decoded it hand over its copy. */
  @FunctionalInterface
  public interface PayloadDecoder {
    Payload decode() throws InvalidProtocolBufferException;
  }

  /** As {@link #parse(Envelope)}, the payload coming from {@code decoder}. */
  public ParsedEnvelope parse(Envelope envelope, PayloadDecoder decoder) {
    long size = (long) envelope.getPayload().size() + envelope.getSignature().size();
    if (size > maxEnvelopeBytes) {
      throw tooLarge(size);
    }
    if (envelope.getPayload().isEmpty()) {
      throw new MalformedEnvelopeException(Reason.EMPTY_PAYLOAD, "Message was empty");
    }
    Payload payload;
    try {
      payload = decoder.decode();
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedEnvelopeException(
          Reason.BAD_PAYLOAD, "payload is not a Payload: " + e.getMessage(), e);
    }
    if (!payload.hasHeader()) {
      throw new MalformedEnvelopeException(Reason.MISSING_HEADER, "payload header was nil");
    }
    ChannelHeader channelHeader =
        decode(
            payload.getHeader().getChannelHeader(),
            Reason.BAD_CHANNEL_HEADER,
            ChannelHeader.parser());
    SignatureHeader signatureHeader =
        decode(
            payload.getHeader().getSignatureHeader(),
            Reason.BAD_SIGNATURE_HEADER,
            SignatureHeader.parser());
    return new ParsedEnvelope(envelope, payload, channelHeader, signatureHeader);
  }

  private static <T> T decode(
      ByteString bytes, Reason reason, com.google.protobuf.Parser<T> parser) {
    if (bytes.isEmpty() && reason == Reason.BAD_CHANNEL_HEADER) {
      throw new MalformedEnvelopeException(reason, "channel header was nil");
    }
    try {
      return parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedEnvelopeException(reason, reason + ": " + e.getMessage(), e);
    }
  }

  private MalformedEnvelopeException tooLarge(long size) {
    return new MalformedEnvelopeException(
        Reason.TOO_LARGE,
        "message payload is "
            + size
            + " bytes and exceeds maximum allowed "
            + maxEnvelopeBytes
            + " bytes");
  }
}

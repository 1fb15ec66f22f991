package io.ordo.orderer.msgprocessor;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.envelope.EnvelopeParser;
import io.ordo.fabric.envelope.MalformedEnvelopeException;
import io.ordo.fabric.envelope.ParsedEnvelope;
import io.ordo.orderer.rpc.SharedBytes;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;

/**
 * An envelope under check, its payload and headers decoded at most once: Broadcast's channel
 * lookup, the expiration rule and the signature filter all read them, and decoding a payload three
 * times was a measurable share of a leader's CPU. Each reader keeps its own error text for a
 * payload that does not decode. Not thread-safe: one envelope is checked on one thread.
 */
public final class CheckedEnvelope {
  private static final EnvelopeParser PARSER = new EnvelopeParser(Long.MAX_VALUE);

  private final Envelope envelope;
  private Payload payload;
  private InvalidProtocolBufferException payloadFailure;
  private ParsedEnvelope parsed;
  private MalformedEnvelopeException parseFailure;

  public CheckedEnvelope(Envelope envelope) {
    this.envelope = envelope;
  }

  public Envelope envelope() {
    return envelope;
  }

  /**
   * The payload, decoded once. Its byte fields share the envelope's bytes instead of copying them:
   * a received envelope is never modified.
   */
  public Payload payload() throws InvalidProtocolBufferException {
    if (payload == null && payloadFailure == null) {
      try {
        payload = SharedBytes.parse(Payload.parser(), envelope.getPayload());
      } catch (InvalidProtocolBufferException e) {
        payloadFailure = e;
      }
    }
    if (payloadFailure != null) {
      throw payloadFailure;
    }
    return payload;
  }

  /** Payload, channel header and signature header, as Fabric's filters decode them. */
  ParsedEnvelope parsed() {
    if (parsed == null && parseFailure == null) {
      try {
        parsed = PARSER.parse(envelope, this::payload);
      } catch (MalformedEnvelopeException e) {
        parseFailure = e;
      }
    }
    if (parseFailure != null) {
      throw parseFailure;
    }
    return parsed;
  }
}

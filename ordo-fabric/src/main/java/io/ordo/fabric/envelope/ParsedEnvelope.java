package io.ordo.fabric.envelope;

import io.ordo.fabric.crypto.SignedData;
import java.util.List;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * An envelope with its payload and headers decoded. The original envelope is kept as received:
 * hashes and signatures are over its exact bytes, never over a re-serialisation.
 */
public record ParsedEnvelope(
    Envelope envelope,
    Payload payload,
    ChannelHeader channelHeader,
    SignatureHeader signatureHeader) {

  /** The header type, or {@code null} when it is a number Fabric's protos do not name. */
  public HeaderType headerType() {
    return HeaderType.forNumber(channelHeader.getType());
  }

  public boolean isConfig() {
    return channelHeader.getType() == HeaderType.CONFIG_VALUE;
  }

  public boolean isConfigUpdate() {
    return channelHeader.getType() == HeaderType.CONFIG_UPDATE_VALUE;
  }

  public String channelId() {
    return channelHeader.getChannelId();
  }

  /** Fabric's EnvelopeAsSignedData: payload bytes, creator, envelope signature. */
  public List<SignedData> signedData() {
    return List.of(
        new SignedData(
            envelope.getPayload(), signatureHeader.getCreator(), envelope.getSignature()));
  }

  /** The size Fabric compares with BatchSize limits: payload plus signature bytes. */
  public long size() {
    return (long) envelope.getPayload().size() + envelope.getSignature().size();
  }
}

package io.ordo.fabric.configtx;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.configtx.ConfigUpdateException.Reason;
import io.ordo.fabric.crypto.Signer;
import io.ordo.fabric.envelope.Envelopes;
import java.security.SecureRandom;
import java.time.Instant;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;

/**
 * CONFIG_UPDATE envelopes as Fabric's tools pass them between organizations: the file of Fabric's
 * recipe (an Envelope whose payload has a CONFIG_UPDATE channel header and a ConfigUpdateEnvelope
 * as data, unsigned as configtxlator and jq make it), a ConfigSignature added by each admin as
 * {@code peer channel signconfigtx} does, and the envelope signed by its submitter as {@code peer
 * channel update} sends it.
 */
public final class ConfigUpdateEnvelopes {
  private ConfigUpdateEnvelopes() {}

  /** The update, unsigned: what Fabric's recipe writes with configtxlator before any signature. */
  public static Envelope unsigned(ConfigUpdate update) {
    ConfigUpdateEnvelope cue =
        ConfigUpdateEnvelope.newBuilder().setConfigUpdate(update.toByteString()).build();
    ChannelHeader ch =
        ChannelHeader.newBuilder()
            .setType(HeaderType.CONFIG_UPDATE_VALUE)
            .setChannelId(update.getChannelId())
            .build();
    Payload payload =
        Payload.newBuilder()
            .setHeader(Header.newBuilder().setChannelHeader(ch.toByteString()))
            .setData(cue.toByteString())
            .build();
    return Envelope.newBuilder().setPayload(payload.toByteString()).build();
  }

  /**
   * The ConfigUpdateEnvelope inside a CONFIG_UPDATE envelope.
   *
   * @throws ConfigUpdateException MALFORMED when it is not one
   */
  public static ConfigUpdateEnvelope updateEnvelope(Envelope envelope) {
    try {
      Payload payload = Payload.parseFrom(envelope.getPayload());
      ChannelHeader ch = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
      if (ch.getType() != HeaderType.CONFIG_UPDATE_VALUE) {
        throw new ConfigUpdateException(
            Reason.MALFORMED, "not a CONFIG_UPDATE envelope (header type " + ch.getType() + ")");
      }
      return ConfigUpdateEnvelope.parseFrom(payload.getData());
    } catch (InvalidProtocolBufferException e) {
      throw new ConfigUpdateException(Reason.MALFORMED, "not a CONFIG_UPDATE envelope", e);
    }
  }

  /** The ConfigUpdate a CONFIG_UPDATE envelope carries. */
  public static ConfigUpdate update(Envelope envelope) {
    try {
      return ConfigUpdate.parseFrom(updateEnvelope(envelope).getConfigUpdate());
    } catch (InvalidProtocolBufferException e) {
      throw new ConfigUpdateException(Reason.MALFORMED, "its ConfigUpdate does not decode", e);
    }
  }

  /**
   * The envelope with one more ConfigSignature, by {@code signer}, as {@code peer channel
   * signconfigtx} adds it; the envelope itself stays unsigned.
   */
  public static Envelope addSignature(Envelope envelope, Signer signer, SecureRandom random) {
    ConfigUpdateEnvelope cue = updateEnvelope(envelope);
    ConfigUpdateEnvelope signed =
        cue.toBuilder()
            .addSignatures(ConfigSignatures.sign(cue.getConfigUpdate(), signer, random))
            .build();
    return withData(envelope, signed);
  }

  /**
   * The envelope to broadcast: its ConfigUpdateEnvelope as it is, in a payload with a fresh channel
   * header (CONFIG_UPDATE, the update's channel, {@code now}) and a signature header of {@code
   * submitter}, signed by it, as protoutil.CreateSignedEnvelope makes it for {@code peer channel
   * update}.
   */
  public static Envelope forSubmission(
      Envelope envelope, Signer submitter, SecureRandom random, Instant now) {
    ConfigUpdateEnvelope cue = updateEnvelope(envelope);
    String channel = update(envelope).getChannelId();
    return Envelopes.signed(
        HeaderType.CONFIG_UPDATE, channel, cue.toByteString(), submitter, random, now);
  }

  private static Envelope withData(Envelope envelope, ConfigUpdateEnvelope cue) {
    try {
      Payload payload = Payload.parseFrom(envelope.getPayload());
      return Envelope.newBuilder()
          .setPayload(payload.toBuilder().setData(cue.toByteString()).build().toByteString())
          .build();
    } catch (InvalidProtocolBufferException e) {
      throw new ConfigUpdateException(Reason.MALFORMED, "not a CONFIG_UPDATE envelope", e);
    }
  }
}

package io.ordo.fabric.envelope;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.ordo.fabric.crypto.Signer;
import java.security.SecureRandom;
import java.time.Instant;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/** Creating signed envelopes as protoutil.CreateSignedEnvelope does. */
public final class Envelopes {
  /** Fabric's nonce length (crypto.NonceSize). */
  public static final int NONCE_BYTES = 24;

  private Envelopes() {}

  /**
   * An envelope of {@code type} whose channel header carries a timestamp of {@code now} with nanos
   * cleared, no tx id and epoch 0, signed by {@code signer} with a fresh nonce.
   */
  public static Envelope signed(
      HeaderType type,
      String channelId,
      ByteString data,
      Signer signer,
      SecureRandom random,
      Instant now) {
    ChannelHeader channelHeader =
        ChannelHeader.newBuilder()
            .setType(type.getNumber())
            .setChannelId(channelId)
            .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()))
            .build();
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    SignatureHeader signatureHeader =
        SignatureHeader.newBuilder()
            .setCreator(ByteString.copyFrom(signer.serializedIdentity()))
            .setNonce(ByteString.copyFrom(nonce))
            .build();
    return signed(channelHeader, signatureHeader, data, signer);
  }

  /** The payload of these headers around {@code data}, as an envelope signed by {@code signer}. */
  public static Envelope signed(
      ChannelHeader channelHeader,
      SignatureHeader signatureHeader,
      ByteString data,
      Signer signer) {
    ByteString payload =
        Payload.newBuilder()
            .setHeader(
                Header.newBuilder()
                    .setChannelHeader(channelHeader.toByteString())
                    .setSignatureHeader(signatureHeader.toByteString()))
            .setData(data)
            .build()
            .toByteString();
    return Envelope.newBuilder()
        .setPayload(payload)
        .setSignature(ByteString.copyFrom(signer.sign(payload.toByteArray())))
        .build();
  }
}

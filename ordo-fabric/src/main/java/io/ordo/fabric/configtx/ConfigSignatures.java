package io.ordo.fabric.configtx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.configtx.ConfigUpdateException.Reason;
import io.ordo.fabric.crypto.SignedData;
import io.ordo.fabric.crypto.Signer;
import io.ordo.fabric.envelope.Envelopes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.ConfigSignature;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/** Signatures over a ConfigUpdate: making one, and reading them as policy input. */
public final class ConfigSignatures {
  private ConfigSignatures() {}

  /** A signature by {@code signer}: over its SignatureHeader bytes followed by the update bytes. */
  public static ConfigSignature sign(ByteString configUpdate, Signer signer, SecureRandom random) {
    byte[] nonce = new byte[Envelopes.NONCE_BYTES];
    random.nextBytes(nonce);
    ByteString header =
        SignatureHeader.newBuilder()
            .setCreator(ByteString.copyFrom(signer.serializedIdentity()))
            .setNonce(ByteString.copyFrom(nonce))
            .build()
            .toByteString();
    return ConfigSignature.newBuilder()
        .setSignatureHeader(header)
        .setSignature(ByteString.copyFrom(signer.sign(header.concat(configUpdate).toByteArray())))
        .build();
  }

  /**
   * The signed data of each signature, as protoutil.ConfigUpdateEnvelopeAsSignedData.
   *
   * @throws ConfigUpdateException MALFORMED when a signature header does not decode
   */
  public static List<SignedData> signedData(ConfigUpdateEnvelope envelope) {
    List<SignedData> out = new ArrayList<>();
    for (int i = 0; i < envelope.getSignaturesCount(); i++) {
      ConfigSignature s = envelope.getSignatures(i);
      SignatureHeader header;
      try {
        header = SignatureHeader.parseFrom(s.getSignatureHeader());
      } catch (InvalidProtocolBufferException e) {
        throw new ConfigUpdateException(
            Reason.MALFORMED, "signature " + i + ": signature header does not decode", e);
      }
      out.add(
          new SignedData(
              s.getSignatureHeader().concat(envelope.getConfigUpdate()),
              header.getCreator(),
              s.getSignature()));
    }
    return out;
  }
}

package io.ordo.fabric.envelope;

import static io.ordo.fabric.envelope.MalformedEnvelopeException.Reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.ordo.fabric.TestData;
import io.ordo.fabric.crypto.CryptoProvider;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.crypto.KeyPairs;
import io.ordo.fabric.crypto.Pem;
import io.ordo.fabric.crypto.Signer;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.junit.jupiter.api.Test;

class EnvelopeParserTest {
  private static final EnvelopeParser PARSER = new EnvelopeParser(100L * 1024 * 1024);

  private static Block networkBlock(int n) throws Exception {
    return Block.parseFrom(TestData.read(TestData.network().resolve("block-" + n + ".pb")));
  }

  @Test
  void aRealEndorserTransactionParsesFollowsTheTxIdRuleAndItsSignatureVerifies() throws Exception {
    ParsedEnvelope env = PARSER.parse(networkBlock(1).getData().getData(0).toByteArray());
    assertThat(env.headerType()).isEqualTo(HeaderType.ENDORSER_TRANSACTION);
    assertThat(env.channelId()).isEqualTo("mychannel");
    EnvelopeChecks.checkTxId(env);
    var signed = env.signedData().get(0);
    var creator = SerializedIdentity.parseFrom(signed.identity());
    assertThat(creator.getMspid()).isEqualTo("Org1MSP");
    new Ecdsa(CryptoProvider.jdk())
        .verify(
            Pem.certificate(creator.getIdBytes().toByteArray()).getPublicKey(),
            signed.data(),
            signed.signature());
  }

  @Test
  void theGenesisEnvelopeIsAConfigEnvelope() throws Exception {
    ParsedEnvelope env = PARSER.parse(networkBlock(0).getData().getData(0).toByteArray());
    assertThat(env.isConfig()).isTrue();
    assertThat(env.isConfigUpdate()).isFalse();
    // configtxgen computes the tx id with an empty creator, which the rule also covers
    EnvelopeChecks.checkTxId(env);
  }

  @Test
  void sizeBoundIsCheckedBeforeDecoding() {
    assertRefused(() -> new EnvelopeParser(10).parse(new byte[11]), Reason.TOO_LARGE);
  }

  @Test
  void anEmptyPayloadIsRefused() {
    assertRefused(() -> PARSER.parse(Envelope.getDefaultInstance()), Reason.EMPTY_PAYLOAD);
  }

  @Test
  void aPayloadThatIsNotAProtobufIsRefused() {
    Envelope env =
        Envelope.newBuilder().setPayload(ByteString.copyFrom(new byte[] {(byte) 0xff, 1})).build();
    assertRefused(() -> PARSER.parse(env), Reason.BAD_PAYLOAD);
  }

  @Test
  void aPayloadWithoutHeaderIsRefused() {
    Envelope env =
        Envelope.newBuilder()
            .setPayload(
                Payload.newBuilder().setData(ByteString.copyFromUtf8("x")).build().toByteString())
            .build();
    assertRefused(() -> PARSER.parse(env), Reason.MISSING_HEADER);
  }

  @Test
  void aMissingOrGarbledChannelHeaderIsRefused() {
    Envelope noChannelHeader =
        Envelope.newBuilder()
            .setPayload(
                Payload.newBuilder().setHeader(Header.getDefaultInstance()).build().toByteString())
            .build();
    assertRefused(() -> PARSER.parse(noChannelHeader), Reason.BAD_CHANNEL_HEADER);
    Envelope garbled =
        Envelope.newBuilder()
            .setPayload(
                Payload.newBuilder()
                    .setHeader(
                        Header.newBuilder()
                            .setChannelHeader(ByteString.copyFrom(new byte[] {0x0a, 5})))
                    .build()
                    .toByteString())
            .build();
    assertRefused(() -> PARSER.parse(garbled), Reason.BAD_CHANNEL_HEADER);
  }

  @Test
  void headerChecksNameTheRuleBroken() {
    KeyPair kp = KeyPairs.p256(new SecureRandom());
    Signer signer =
        new Signer() {
          @Override
          public byte[] serializedIdentity() {
            return SerializedIdentity.newBuilder().setMspid("M").build().toByteArray();
          }

          @Override
          public byte[] sign(byte[] message) {
            return new Ecdsa(CryptoProvider.jdk()).sign(kp.getPrivate(), message);
          }
        };
    Instant now = Instant.parse("2025-01-01T00:00:00Z");
    Envelope e =
        Envelopes.signed(
            HeaderType.MESSAGE,
            "ch",
            ByteString.copyFromUtf8("hi"),
            signer,
            new SecureRandom(),
            now);
    ParsedEnvelope env = PARSER.parse(e.toByteArray());
    assertThat(env.channelHeader().getTimestamp().getSeconds()).isEqualTo(now.getEpochSecond());
    assertThat(env.signatureHeader().getNonce().size()).isEqualTo(24);
    EnvelopeChecks.checkChannel(env, "ch");
    EnvelopeChecks.checkTimestamp(env, now.plusSeconds(60), Duration.ofMinutes(15));
    assertRefused(() -> EnvelopeChecks.checkChannel(env, "other"), Reason.WRONG_CHANNEL);
    assertRefused(
        () ->
            EnvelopeChecks.checkTimestamp(
                env, now.plus(Duration.ofMinutes(16)), Duration.ofMinutes(15)),
        Reason.TIMESTAMP_OUT_OF_WINDOW);
    assertRefused(() -> EnvelopeChecks.checkSize(env, env.size() - 1), Reason.TOO_LARGE);
    assertRefused(
        () -> EnvelopeChecks.checkTlsBinding(env, new byte[] {1}), Reason.TLS_BINDING_MISMATCH);
    assertRefused(() -> EnvelopeChecks.checkTxId(env), Reason.BAD_TX_ID);
  }

  private static void assertRefused(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            MalformedEnvelopeException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}

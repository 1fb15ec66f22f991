package io.ordo.orderer.msgprocessor;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.crypto.Pem;
import io.ordo.fabric.crypto.Signer;
import io.ordo.fabric.envelope.Envelopes;
import io.ordo.fabric.msp.LocalSigningIdentity;
import io.ordo.orderer.testing.TestChannelConfig;
import io.ordo.orderer.testing.TestOrg;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.junit.jupiter.api.Test;

class StandardChannelTest {
  private static final String CHANNEL = "mychannel";
  private static final TestOrg ORDERER_ORG = new TestOrg("OrdererMSP");
  private static final TestOrg ORG1 = new TestOrg("Org1MSP");
  private static final TestOrg STRANGER_ORG = new TestOrg("Org9MSP");
  private static final TestOrg.TlsIdentity TLS = ORDERER_ORG.tls("orderer1.example.com");
  private static final LocalSigningIdentity ORDERER = ORDERER_ORG.member("orderer1", "orderer");
  private static final LocalSigningIdentity CLIENT = ORG1.member("User1", "client");
  private static final ChannelConfigLoader LOADER = new ChannelConfigLoader(TestOrg.ECDSA);

  private final SecureRandom random = new SecureRandom();
  private final AtomicReference<ChannelConfig> current =
      new AtomicReference<>(LOADER.load(config(0).build()));
  private ConfigUpdateProposer proposer = (cfg, update) -> config(cfg.sequence() + 1).build();

  private static TestChannelConfig config(long seq) {
    return new TestChannelConfig()
        .ordererOrg(ORDERER_ORG)
        .applicationOrg(ORG1)
        .consenter("orderer1.example.com", 7050, TLS.certificatePem(), TLS.certificatePem())
        .batchSize(10, 32 * 1024, 16 * 1024)
        .sequence(seq);
  }

  private StandardChannel processor(boolean noExpirationChecks, Signer signer) {
    return new StandardChannel(
        CHANNEL,
        current::get,
        LOADER,
        (cfg, update) -> proposer.propose(cfg, update),
        signer,
        noExpirationChecks,
        Clock.systemUTC(),
        random);
  }

  private StandardChannel processor() {
    return processor(false, ORDERER);
  }

  private Envelope normal(Signer signer, int dataBytes) {
    return Envelopes.signed(
        HeaderType.ENDORSER_TRANSACTION,
        CHANNEL,
        ByteString.copyFrom(new byte[dataBytes]),
        signer,
        random,
        TestOrg.NOW);
  }

  private static MessageRejectedException rejected(Runnable r) {
    try {
      r.run();
    } catch (MessageRejectedException e) {
      return e;
    }
    throw new AssertionError("expected a MessageRejectedException");
  }

  @Test
  void classificationFollowsTheHeaderType() {
    StandardChannel p = processor();
    assertThat(p.classify(header(HeaderType.CONFIG_UPDATE))).isEqualTo(MessageClass.CONFIG_UPDATE);
    assertThat(p.classify(header(HeaderType.CONFIG))).isEqualTo(MessageClass.CONFIG);
    assertThat(p.classify(header(HeaderType.ORDERER_TRANSACTION)))
        .isEqualTo(MessageClass.ORDERER_TRANSACTION);
    assertThat(p.classify(header(HeaderType.ENDORSER_TRANSACTION))).isEqualTo(MessageClass.NORMAL);
    assertThat(p.classify(ChannelHeader.newBuilder().setType(42).build()))
        .isEqualTo(MessageClass.NORMAL);
  }

  private static ChannelHeader header(HeaderType t) {
    return ChannelHeader.newBuilder().setType(t.getNumber()).build();
  }

  @Test
  void aWriterSignedEnvelopePassesAndReturnsTheConfigSequence() {
    assertThat(processor().processNormalMsg(normal(CLIENT, 100))).isZero();
    current.set(LOADER.load(config(7).build()));
    assertThat(processor().processNormalMsg(normal(CLIENT, 100))).isEqualTo(7);
  }

  @Test
  void anEmptyEnvelopeIsABadRequest() {
    var e = rejected(() -> processor().processNormalMsg(Envelope.getDefaultInstance()));
    assertThat(e).hasMessage("Message was empty");
    assertThat(BroadcastStatus.of(e)).isEqualTo(Status.BAD_REQUEST);
  }

  @Test
  void anEnvelopeOverAbsoluteMaxBytesIsABadRequestGivingBothSizes() {
    Envelope big = normal(CLIENT, 40_000);
    long size = big.getPayload().size() + big.getSignature().size();
    var e = rejected(() -> processor().processNormalMsg(big));
    assertThat(e)
        .hasMessage(
            "message payload is " + size + " bytes and exceeds maximum allowed 32768 bytes");
    assertThat(BroadcastStatus.of(e)).isEqualTo(Status.BAD_REQUEST);
  }

  @Test
  void anExpiredCreatorIsABadRequestUnlessExpirationChecksAreOff() {
    LocalSigningIdentity expired =
        ORG1.member(
            "Old", "client", TestOrg.NOW.minus(Duration.ofDays(30)), TestOrg.NOW.minusSeconds(60));
    Envelope env = normal(expired, 10);
    var e = rejected(() -> processor().processNormalMsg(env));
    assertThat(e).hasMessage("broadcast client identity expired");
    assertThat(BroadcastStatus.of(e)).isEqualTo(Status.BAD_REQUEST);
    // Fabric's MSP ignores expiry, so with the check off the writer policy accepts it
    assertThat(processor(true, ORDERER).processNormalMsg(env)).isZero();
  }

  @Test
  void aSignerOutsideTheChannelIsForbidden() {
    var e =
        rejected(
            () -> processor().processNormalMsg(normal(STRANGER_ORG.member("x", "client"), 10)));
    assertThat(e.reason()).isEqualTo(MessageRejectedException.Reason.PERMISSION_DENIED);
    assertThat(e.getMessage()).contains("/Channel/Writers");
    assertThat(BroadcastStatus.of(e)).isEqualTo(Status.FORBIDDEN);
  }

  @Test
  void aTamperedPayloadIsForbidden() {
    Envelope good = normal(CLIENT, 10);
    byte[] payload = good.getPayload().toByteArray();
    payload[payload.length - 1] ^= 1;
    Envelope bad = good.toBuilder().setPayload(ByteString.copyFrom(payload)).build();
    assertThat(BroadcastStatus.of(rejected(() -> processor().processNormalMsg(bad))))
        .isEqualTo(Status.FORBIDDEN);
  }

  @Test
  void anUnsignedEnvelopeIsForbidden() {
    Envelope unsigned = normal(CLIENT, 10).toBuilder().clearSignature().build();
    assertThat(BroadcastStatus.of(rejected(() -> processor().processNormalMsg(unsigned))))
        .isEqualTo(Status.FORBIDDEN);
  }

  @Test
  void aPayloadThatDoesNotDecodeIsABadRequest() {
    Envelope garbage =
        Envelope.newBuilder().setPayload(ByteString.copyFrom(new byte[] {(byte) 0xff, 1})).build();
    var e = rejected(() -> processor().processNormalMsg(garbage));
    assertThat(BroadcastStatus.of(e)).isEqualTo(Status.BAD_REQUEST);
  }

  @Test
  void normalMessagesAreRefusedAsServiceUnavailableInMaintenanceMode() {
    current.set(
        LOADER.load(
            config(1).consensus("etcdraft", ConsensusType.State.STATE_MAINTENANCE).build()));
    var e = rejected(() -> processor().processNormalMsg(normal(CLIENT, 10)));
    assertThat(e.reason()).isEqualTo(MessageRejectedException.Reason.MAINTENANCE_MODE);
    assertThat(BroadcastStatus.of(e)).isEqualTo(Status.SERVICE_UNAVAILABLE);
  }

  @Test
  void revalidationRunsOnlyWhenTheConfigSequenceMovedOn() {
    StandardChannel p = processor();
    Envelope env = normal(CLIENT, 10);
    long seq = p.processNormalMsg(env);
    // Org2 replaces Org1 in config 1: the envelope checked at 0 must be checked again
    Config withoutOrg1 =
        new TestChannelConfig()
            .ordererOrg(ORDERER_ORG)
            .applicationOrg(STRANGER_ORG)
            .consenter("orderer1.example.com", 7050, TLS.certificatePem(), TLS.certificatePem())
            .sequence(1)
            .build();
    assertThat(p.revalidateNormal(env, seq)).isZero(); // not moved: no check
    current.set(LOADER.load(withoutOrg1));
    assertThat(BroadcastStatus.of(rejected(() -> p.revalidateNormal(env, seq))))
        .isEqualTo(Status.FORBIDDEN);
    // checked at the current sequence already: passed through untouched
    assertThat(p.revalidateNormal(env, 1)).isEqualTo(1);
  }

  @Test
  void aConfigUpdateBecomesAConfigEnvelopeSignedByThisOrderer() throws Exception {
    Envelope update = configUpdate(CLIENT);
    ConfigMessage m = processor().processConfigUpdateMsg(update);
    assertThat(m.configSeq()).isZero();
    Payload payload = Payload.parseFrom(m.config().getPayload());
    ChannelHeader ch = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
    assertThat(ch.getType()).isEqualTo(HeaderType.CONFIG_VALUE);
    assertThat(ch.getChannelId()).isEqualTo(CHANNEL);
    assertThat(ch.getTxId()).isEmpty();
    assertThat(ch.getTimestamp().getNanos()).isZero();
    SignatureHeader sh = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
    assertThat(sh.getNonce().size()).isEqualTo(24);
    SerializedIdentity creator = SerializedIdentity.parseFrom(sh.getCreator());
    assertThat(creator.getMspid()).isEqualTo("OrdererMSP");
    TestOrg.ECDSA.verify(
        Pem.certificate(creator.getIdBytes().toByteArray()).getPublicKey(),
        m.config().getPayload().toByteArray(),
        m.config().getSignature().toByteArray());
    ConfigEnvelope ce = ConfigEnvelope.parseFrom(payload.getData());
    assertThat(ce.getConfig().getSequence()).isEqualTo(1);
    assertThat(ce.getLastUpdate()).isEqualTo(update);
  }

  @Test
  void aConfigEnvelopeCheckedAtAnOlderSequenceIsRebuiltFromItsLastUpdate() throws Exception {
    StandardChannel p = processor();
    Envelope update = configUpdate(CLIENT);
    ConfigMessage first = p.processConfigUpdateMsg(update);
    assertThat(p.revalidateConfig(first.config(), 0).config()).isSameAs(first.config());
    current.set(LOADER.load(config(1).build()));
    ConfigMessage again = p.revalidateConfig(first.config(), 0);
    assertThat(again.configSeq()).isEqualTo(1);
    var ce = ConfigEnvelope.parseFrom(Payload.parseFrom(again.config().getPayload()).getData());
    assertThat(ce.getConfig().getSequence()).isEqualTo(2);
    assertThat(ce.getLastUpdate()).isEqualTo(update);
  }

  @Test
  void aConfigUpdateThatFailsItsChecksIsABadRequest() {
    proposer =
        (cfg, update) -> {
          throw new IllegalArgumentException("read set version mismatch for /Channel/Orderer");
        };
    var e = rejected(() -> processor().processConfigUpdateMsg(configUpdate(CLIENT)));
    assertThat(e.getMessage())
        .startsWith("config update for existing channel did not pass initial checks")
        .contains("/Channel/Orderer");
    assertThat(BroadcastStatus.of(e)).isEqualTo(Status.BAD_REQUEST);
  }

  @Test
  void aConfigUpdateFromANonWriterIsForbiddenBeforeItIsProposed() {
    proposer =
        (cfg, update) -> {
          throw new AssertionError("must not be reached");
        };
    var e =
        rejected(
            () ->
                processor()
                    .processConfigUpdateMsg(configUpdate(STRANGER_ORG.member("x", "admin"))));
    assertThat(BroadcastStatus.of(e)).isEqualTo(Status.FORBIDDEN);
  }

  @Test
  void aConfigEnvelopeThatThisOrdererCannotSignAsAWriterIsRefused() {
    StandardChannel p = processor(false, STRANGER_ORG.member("rogue-orderer", "orderer"));
    var e = rejected(() -> p.processConfigUpdateMsg(configUpdate(CLIENT)));
    assertThat(e.getMessage()).startsWith("config envelope made by this orderer was refused");
    assertThat(BroadcastStatus.of(e)).isEqualTo(Status.FORBIDDEN);
  }

  @Test
  void aConsensusTypeChangeOutsideMaintenanceIsABadRequest() {
    proposer =
        (cfg, update) ->
            config(cfg.sequence() + 1).consensus("BFT", ConsensusType.State.STATE_NORMAL).build();
    var e = rejected(() -> processor().processConfigUpdateMsg(configUpdate(CLIENT)));
    assertThat(e.getMessage()).contains("outside of maintenance mode");
    assertThat(BroadcastStatus.of(e)).isEqualTo(Status.BAD_REQUEST);
  }

  @Test
  void aProposedConfigWithAWrongSequenceIsABadRequest() {
    proposer = (cfg, update) -> config(cfg.sequence() + 2).build();
    assertThat(rejected(() -> processor().processConfigUpdateMsg(configUpdate(CLIENT))))
        .hasMessageContaining("expected 1");
  }

  @Test
  void statusMappingFollowsTheRootCause() {
    var forbidden =
        new MessageRejectedException(MessageRejectedException.Reason.PERMISSION_DENIED, "no");
    assertThat(BroadcastStatus.of(new IllegalStateException("wrapped", forbidden)))
        .isEqualTo(Status.FORBIDDEN);
    assertThat(
            BroadcastStatus.of(
                new MessageRejectedException(
                    MessageRejectedException.Reason.CHANNEL_DOES_NOT_EXIST, "x")))
        .isEqualTo(Status.NOT_FOUND);
    assertThat(BroadcastStatus.of(new RuntimeException("anything"))).isEqualTo(Status.BAD_REQUEST);
  }

  private Envelope configUpdate(Signer signer) {
    return Envelopes.signed(
        HeaderType.CONFIG_UPDATE,
        CHANNEL,
        ByteString.copyFromUtf8("a ConfigUpdateEnvelope the proposer interprets"),
        signer,
        random,
        TestOrg.NOW);
  }
}

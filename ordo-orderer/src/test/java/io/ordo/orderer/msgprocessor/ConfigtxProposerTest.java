package io.ordo.orderer.msgprocessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.envelope.Envelopes;
import io.ordo.fabric.msp.LocalSigningIdentity;
import io.ordo.orderer.testing.TestChannelConfig;
import io.ordo.orderer.testing.TestOrg;
import java.security.SecureRandom;
import java.time.Clock;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigSignature;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.junit.jupiter.api.Test;

/** A config update through the message processor, validated by ordo-fabric's configtx. */
class ConfigtxProposerTest {
  private static final String CHANNEL = "mychannel";
  private static final TestOrg ORDERER_ORG = new TestOrg("OrdererMSP");
  private static final TestOrg ORG1 = new TestOrg("Org1MSP");
  private static final TestOrg.TlsIdentity TLS = ORDERER_ORG.tls("orderer1.example.com");
  private static final LocalSigningIdentity ORDERER = ORDERER_ORG.member("orderer1", "orderer");
  private static final LocalSigningIdentity ORDERER_ADMIN = ORDERER_ORG.member("Admin", "admin");
  private static final LocalSigningIdentity CLIENT = ORG1.member("User1", "client");
  private static final ChannelConfigLoader LOADER = new ChannelConfigLoader(TestOrg.ECDSA);

  private final SecureRandom random = new SecureRandom();
  private final ChannelConfig current =
      LOADER.load(
          new TestChannelConfig()
              .ordererOrg(ORDERER_ORG)
              .applicationOrg(ORG1)
              .consenter("orderer1.example.com", 7050, TLS.certificatePem(), TLS.certificatePem())
              .batchSize(10, 32 * 1024, 16 * 1024)
              .sequence(0)
              .build());
  private final StandardChannel processor =
      new StandardChannel(
          CHANNEL,
          () -> current,
          LOADER,
          new ConfigtxProposer(CHANNEL, LOADER, Clock.systemUTC()),
          ORDERER,
          false,
          Clock.systemUTC(),
          random);

  @Test
  void aBatchSizeUpdateSignedByTheOrdererAdminBecomesTheNextConfigSignedByTheOrderer()
      throws Exception {
    ConfigMessage msg =
        processor.processConfigUpdateMsg(update(batchSizeUpdate(500), ORDERER_ADMIN, CLIENT));
    ConfigEnvelope ce =
        ConfigEnvelope.parseFrom(Payload.parseFrom(msg.config().getPayload()).getData());
    assertThat(ce.getConfig().getSequence()).isEqualTo(1);
    BatchSize bs =
        BatchSize.parseFrom(
            ce.getConfig()
                .getChannelGroup()
                .getGroupsOrThrow("Orderer")
                .getValuesOrThrow("BatchSize")
                .getValue());
    assertThat(bs.getMaxMessageCount()).isEqualTo(500);
    assertThat(msg.configSeq()).isZero();
  }

  @Test
  void anUpdateWithoutTheAdminsSignatureIsABadRequestNamingTheCheck() {
    MessageRejectedException e =
        catchThrowableOfType(
            MessageRejectedException.class,
            () -> processor.processConfigUpdateMsg(update(batchSizeUpdate(500), CLIENT, CLIENT)));
    assertThat(e.reason()).isEqualTo(MessageRejectedException.Reason.BAD_REQUEST);
    assertThat(e.getMessage())
        .startsWith("config update for existing channel did not pass initial checks");
  }

  private ConfigUpdate batchSizeUpdate(int maxCount) {
    ConfigGroup currentOrderer = current.config().getChannelGroup().getGroupsOrThrow("Orderer");
    ConfigValue old = currentOrderer.getValuesOrThrow("BatchSize");
    BatchSize bs;
    try {
      bs = BatchSize.parseFrom(old.getValue()).toBuilder().setMaxMessageCount(maxCount).build();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
    ConfigGroup readOrderer =
        ConfigGroup.newBuilder().setVersion(currentOrderer.getVersion()).build();
    ConfigGroup writeOrderer =
        ConfigGroup.newBuilder()
            .setVersion(currentOrderer.getVersion())
            .putValues(
                "BatchSize",
                old.toBuilder()
                    .setVersion(old.getVersion() + 1)
                    .setValue(bs.toByteString())
                    .build())
            .build();
    long channelVersion = current.config().getChannelGroup().getVersion();
    return ConfigUpdate.newBuilder()
        .setChannelId(CHANNEL)
        .setReadSet(
            ConfigGroup.newBuilder().setVersion(channelVersion).putGroups("Orderer", readOrderer))
        .setWriteSet(
            ConfigGroup.newBuilder().setVersion(channelVersion).putGroups("Orderer", writeOrderer))
        .build();
  }

  /** A CONFIG_UPDATE envelope whose update carries {@code signer}'s config signature. */
  private Envelope update(
      ConfigUpdate update, LocalSigningIdentity signer, LocalSigningIdentity submitter) {
    ByteString updateBytes = update.toByteString();
    ByteString sigHeader =
        SignatureHeader.newBuilder()
            .setCreator(ByteString.copyFrom(signer.serializedIdentity()))
            .setNonce(ByteString.copyFrom(random.generateSeed(24)))
            .build()
            .toByteString();
    byte[] signed = sigHeader.concat(updateBytes).toByteArray();
    ConfigUpdateEnvelope cue =
        ConfigUpdateEnvelope.newBuilder()
            .setConfigUpdate(updateBytes)
            .addSignatures(
                ConfigSignature.newBuilder()
                    .setSignatureHeader(sigHeader)
                    .setSignature(ByteString.copyFrom(signer.sign(signed))))
            .build();
    return Envelopes.signed(
        HeaderType.CONFIG_UPDATE, CHANNEL, cue.toByteString(), submitter, random, TestOrg.NOW);
  }
}

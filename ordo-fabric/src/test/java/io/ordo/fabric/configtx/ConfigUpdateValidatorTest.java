package io.ordo.fabric.configtx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.ordo.fabric.TestChannel;
import io.ordo.fabric.TestOrg;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.configtx.ConfigUpdateException.Reason;
import io.ordo.fabric.crypto.Signer;
import io.ordo.fabric.envelope.Envelopes;
import io.ordo.fabric.msp.LocalSigningIdentity;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata;
import org.hyperledger.fabric.protos.orderer.etcdraft.Consenter;
import org.junit.jupiter.api.Test;

class ConfigUpdateValidatorTest {
  private static final ChannelConfigLoader LOADER = new ChannelConfigLoader(TestOrg.ECDSA);
  private static final Instant NOW = TestOrg.NOW;

  private final SecureRandom random = new SecureRandom();
  private final TestChannel channel = new TestChannel();
  private final ChannelConfig current = LOADER.load(channel.config(3));
  private final ConfigUpdateValidator validator =
      new ConfigUpdateValidator(TestChannel.CHANNEL_ID, current, LOADER);
  private final LocalSigningIdentity ordererAdmin = channel.ordererOrg.member("admin", "admin");
  private final LocalSigningIdentity appAdmin = channel.appOrg.member("admin", "admin");

  @Test
  void aBatchSizeChangeSignedByTheOrdererAdminGivesTheNextConfig() {
    BatchSize bigger = batchSize(1000);
    ProposedConfig p =
        validator.propose(envelope(batchSizeUpdate(bigger, 1, 0), ordererAdmin), NOW);

    Config next = p.configEnvelope().getConfig();
    assertThat(next.getSequence()).isEqualTo(1);
    ConfigGroup expectedOrderer =
        current.config().getChannelGroup().getGroupsOrThrow("Orderer").toBuilder()
            .putValues("BatchSize", batchSizeValue(bigger, 1))
            .build();
    ConfigGroup expected =
        current.config().getChannelGroup().toBuilder()
            .putGroups("Orderer", expectedOrderer)
            .build();
    assertThat(next.getChannelGroup()).isEqualTo(expected);
    assertThat(p.config().orderer().batchSize().maxMessageCount()).isEqualTo(1000);
    assertThat(p.membershipChange().isEmpty()).isTrue();
  }

  @Test
  void theWrappedConfigEnvelopeIsOfTypeConfigAndSignedByTheOrderer() throws Exception {
    Envelope update = envelope(batchSizeUpdate(batchSize(10), 1, 0), ordererAdmin);
    ProposedConfig p = validator.propose(update, NOW);
    LocalSigningIdentity orderer = channel.ordererOrg.member("orderer1", "orderer");

    Envelope wrapped = validator.wrap(p, orderer, random, NOW);

    Payload payload = Payload.parseFrom(wrapped.getPayload());
    ChannelHeader ch = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
    assertThat(ch.getType()).isEqualTo(HeaderType.CONFIG_VALUE);
    assertThat(ch.getChannelId()).isEqualTo(TestChannel.CHANNEL_ID);
    assertThat(ch.getTxId()).isEmpty();
    assertThat(ch.getTimestamp().getNanos()).isZero();
    ConfigEnvelope ce = ConfigEnvelope.parseFrom(payload.getData());
    assertThat(ce.getLastUpdate()).isEqualTo(update);
    assertThat(ce.getConfig().getSequence()).isEqualTo(1);
    TestOrg.ECDSA.verify(
        orderer.identity().certificate().getPublicKey(),
        wrapped.getPayload().toByteArray(),
        wrapped.getSignature().toByteArray());
    // and the orderer's CONFIG envelope is accepted as the next config when re-read
    assertThat(ChannelConfigLoader.configOf(block(wrapped)).getSequence()).isEqualTo(1);
  }

  @Test
  void addingOneConsenterIsAcceptedAsOneAddition() {
    Consenter added = channel.consenter(4);
    List<Consenter> four = plus(consenters(), added);

    ProposedConfig p = validator.propose(envelope(consenterUpdate(four), ordererAdmin), NOW);

    var raft = p.config().orderer().etcdRaft().orElseThrow();
    assertThat(raft.consenters()).hasSize(4);
    assertThat(raft.consenters().get(3).host()).isEqualTo("orderer4.example.com");
    assertThat(p.membershipChange().added()).hasSize(1);
    assertThat(p.membershipChange().removed()).isEmpty();
    assertThat(
            p.configEnvelope()
                .getConfig()
                .getChannelGroup()
                .getGroupsOrThrow("Orderer")
                .getValuesOrThrow("ConsensusType")
                .getVersion())
        .isEqualTo(1);
  }

  @Test
  void twoConsenterAdditionsAtOnceAreRefused() {
    List<Consenter> five = plus(plus(consenters(), channel.consenter(4)), channel.consenter(5));

    assertThatThrownBy(() -> validator.propose(envelope(consenterUpdate(five), ordererAdmin), NOW))
        .isInstanceOfSatisfying(
            ConfigUpdateException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.CONSENTER_CHANGE))
        .hasMessageContaining("more than one consenter");
  }

  @Test
  void aConsenterWhoseCertificateIsNotFromTheOrdererTlsCaIsRefused() {
    TestChannel stranger = new TestChannel();
    List<Consenter> four = plus(consenters(), stranger.consenter(4));

    assertThatThrownBy(() -> validator.propose(envelope(consenterUpdate(four), ordererAdmin), NOW))
        .isInstanceOfSatisfying(
            ConfigUpdateException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.CONSENTER_CHANGE))
        .hasMessageContaining("consenters[3]")
        .hasMessageContaining("unknown authority");
  }

  @Test
  void aStaleReadSetIsRefused() {
    ProposedConfig first =
        validator.propose(envelope(batchSizeUpdate(batchSize(1000), 1, 0), ordererAdmin), NOW);
    var second = new ConfigUpdateValidator(TestChannel.CHANNEL_ID, first.config(), LOADER);

    // written against the first config: BatchSize read at version 0, now at 1
    assertThatThrownBy(
            () ->
                second.propose(
                    envelope(batchSizeUpdateReading(batchSize(7), 1, 0), ordererAdmin), NOW))
        .isInstanceOfSatisfying(
            ConfigUpdateException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.STALE_READ_SET))
        .hasMessageContaining("[Value]  /Channel/Orderer/BatchSize be at version 0")
        .hasMessageContaining("currently at version 1");
  }

  @Test
  void anUpdateWithoutTheOrdererAdminsSignatureIsRefused() {
    assertThatThrownBy(
            () ->
                validator.propose(envelope(batchSizeUpdate(batchSize(1000), 1, 0), appAdmin), NOW))
        .isInstanceOfSatisfying(
            ConfigUpdateException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.POLICY_NOT_SATISFIED))
        .hasMessageContaining("/Channel/Orderer/BatchSize");
  }

  @Test
  void anUpdateWithNoSignatureAtAllIsRefused() {
    ConfigUpdateEnvelope unsigned =
        ConfigUpdateEnvelope.newBuilder()
            .setConfigUpdate(batchSizeUpdate(batchSize(1000), 1, 0).toByteString())
            .build();
    assertThatThrownBy(() -> validator.propose(wrapUpdate(unsigned, ordererAdmin), NOW))
        .isInstanceOfSatisfying(
            ConfigUpdateException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.POLICY_NOT_SATISFIED));
  }

  @Test
  void aVersionThatSkipsAheadIsRefused() {
    assertThatThrownBy(
            () ->
                validator.propose(
                    envelope(batchSizeUpdate(batchSize(1000), 2, 0), ordererAdmin), NOW))
        .isInstanceOfSatisfying(
            ConfigUpdateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_VERSION))
        .hasMessageContaining("to version 2, but key is at version 0");
  }

  @Test
  void anUpdateThatChangesNothingIsRefused() {
    ConfigUpdate nothing =
        ConfigUpdate.newBuilder()
            .setChannelId(TestChannel.CHANNEL_ID)
            .setReadSet(ConfigGroup.newBuilder())
            .setWriteSet(ConfigGroup.newBuilder())
            .build();
    assertThatThrownBy(() -> validator.propose(envelope(nothing, ordererAdmin), NOW))
        .isInstanceOfSatisfying(
            ConfigUpdateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EMPTY_DELTA));
  }

  @Test
  void anUpdateForAnotherChannelIsRefused() {
    ConfigUpdate other =
        batchSizeUpdate(batchSize(1000), 1, 0).toBuilder().setChannelId("other").build();
    assertThatThrownBy(() -> validator.propose(envelope(other, ordererAdmin), NOW))
        .isInstanceOfSatisfying(
            ConfigUpdateException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_CHANNEL))
        .hasMessageContaining("'other'");
  }

  @Test
  void aGarbledPayloadIsRefusedAsMalformed() {
    Envelope garbled =
        Envelope.newBuilder()
            .setPayload(ByteString.copyFrom(new byte[] {0x0a, 0x7f, 0x01, 0x02}))
            .build();
    assertThatThrownBy(() -> validator.propose(garbled, NOW))
        .isInstanceOfSatisfying(
            ConfigUpdateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageContaining("mychannel");
  }

  @Test
  void aGarbledConfigUpdateIsRefusedAsMalformed() {
    ConfigUpdateEnvelope garbled =
        ConfigUpdateEnvelope.newBuilder()
            .setConfigUpdate(ByteString.copyFrom(new byte[] {0x12, 0x40, 0x00}))
            .build();
    assertThatThrownBy(() -> validator.propose(wrapUpdate(garbled, ordererAdmin), NOW))
        .isInstanceOfSatisfying(
            ConfigUpdateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageContaining("ConfigUpdate does not decode");
  }

  @Test
  void aConsensusTypeChangeIsRefused() {
    ConsensusType bft =
        ConsensusType.newBuilder().setType("BFT").setMetadata(ByteString.EMPTY).build();
    ConfigUpdate u = ordererValueUpdate("ConsensusType", TestChannel.value(bft), 0);
    assertThatThrownBy(() -> validator.propose(envelope(u, ordererAdmin), NOW))
        .isInstanceOfSatisfying(
            ConfigUpdateException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.CONSENSUS_TYPE_CHANGE));
  }

  // --- helpers

  private static BatchSize batchSize(int maxMessages) {
    return BatchSize.newBuilder()
        .setMaxMessageCount(maxMessages)
        .setAbsoluteMaxBytes(10 * 1024 * 1024)
        .setPreferredMaxBytes(2 * 1024 * 1024)
        .build();
  }

  private static ConfigValue batchSizeValue(BatchSize bs, long version) {
    return TestChannel.value(bs).toBuilder().setVersion(version).build();
  }

  /** As configtxlator computes it: parents in the read set at their versions, the value written. */
  private static ConfigUpdate batchSizeUpdate(BatchSize bs, long version, long ordererVersion) {
    return ordererValueUpdate("BatchSize", batchSizeValue(bs, version), ordererVersion);
  }

  private static ConfigUpdate ordererValueUpdate(String name, ConfigValue value, long version) {
    ConfigValue v = value.getVersion() == 0 ? value.toBuilder().setVersion(1).build() : value;
    ConfigGroup readOrderer = ConfigGroup.newBuilder().setVersion(version).build();
    ConfigGroup writeOrderer =
        ConfigGroup.newBuilder().setVersion(version).putValues(name, v).build();
    return update(readOrderer, writeOrderer);
  }

  /**
   * Reads BatchSize itself at {@code readVersion}, as an update that also reads the value would.
   */
  private static ConfigUpdate batchSizeUpdateReading(BatchSize bs, long version, long readVersion) {
    ConfigGroup readOrderer =
        ConfigGroup.newBuilder()
            .putValues("BatchSize", ConfigValue.newBuilder().setVersion(readVersion).build())
            .build();
    ConfigGroup writeOrderer =
        ConfigGroup.newBuilder().putValues("BatchSize", batchSizeValue(bs, version)).build();
    return update(readOrderer, writeOrderer);
  }

  private ConfigUpdate consenterUpdate(List<Consenter> consenters) {
    ConfigMetadata old = currentMetadata();
    ConfigMetadata m = old.toBuilder().clearConsenters().addAllConsenters(consenters).build();
    ConsensusType ct =
        ConsensusType.newBuilder().setType("etcdraft").setMetadata(m.toByteString()).build();
    return ordererValueUpdate("ConsensusType", TestChannel.value(ct), 0);
  }

  private static ConfigUpdate update(ConfigGroup readOrderer, ConfigGroup writeOrderer) {
    return ConfigUpdate.newBuilder()
        .setChannelId(TestChannel.CHANNEL_ID)
        .setReadSet(ConfigGroup.newBuilder().putGroups("Orderer", readOrderer))
        .setWriteSet(ConfigGroup.newBuilder().putGroups("Orderer", writeOrderer))
        .build();
  }

  private ConfigMetadata currentMetadata() {
    try {
      return ConfigMetadata.parseFrom(current.orderer().consensusMetadata());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private List<Consenter> consenters() {
    return currentMetadata().getConsentersList();
  }

  private static List<Consenter> plus(List<Consenter> cs, Consenter c) {
    var out = new java.util.ArrayList<>(cs);
    out.add(c);
    return out;
  }

  private Envelope envelope(ConfigUpdate update, Signer... signers) {
    ConfigUpdateEnvelope.Builder b =
        ConfigUpdateEnvelope.newBuilder().setConfigUpdate(update.toByteString());
    for (Signer s : signers) {
      b.addSignatures(ConfigSignatures.sign(update.toByteString(), s, random));
    }
    return wrapUpdate(b.build(), signers[0]);
  }

  private Envelope wrapUpdate(ConfigUpdateEnvelope e, Signer submitter) {
    return Envelopes.signed(
        HeaderType.CONFIG_UPDATE, TestChannel.CHANNEL_ID, e.toByteString(), submitter, random, NOW);
  }

  private static org.hyperledger.fabric.protos.common.Block block(Envelope env) {
    return org.hyperledger.fabric.protos.common.Block.newBuilder()
        .setHeader(org.hyperledger.fabric.protos.common.BlockHeader.newBuilder().setNumber(1))
        .setData(
            org.hyperledger.fabric.protos.common.BlockData.newBuilder().addData(env.toByteString()))
        .build();
  }
}

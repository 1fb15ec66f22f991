package io.ordo.fabric.configtx;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.fabric.TestChannel;
import io.ordo.fabric.TestOrg;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.msp.LocalSigningIdentity;
import java.security.SecureRandom;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.junit.jupiter.api.Test;

/** configtxlator's compute_update rules, and the orderer's validator taking what they give. */
class ConfigUpdatesTest {
  private static final ChannelConfigLoader LOADER = new ChannelConfigLoader(TestOrg.ECDSA);

  private final TestChannel channel = new TestChannel();
  private final Config original = channel.config(3);
  private final ConfigGroup root = original.getChannelGroup();
  private final ConfigGroup orderer = root.getGroupsOrThrow("Orderer");

  @Test
  void aChangedValueIsWrittenAtItsVersionPlusOneAndNotRead() {
    Config updated = withOrderer(orderer.toBuilder().putValues("BatchSize", batchSize(77)).build());

    ConfigUpdate u = ConfigUpdates.compute("mychannel", original, updated).orElseThrow();

    assertThat(u.getChannelId()).isEqualTo("mychannel");
    ConfigGroup readOrderer = u.getReadSet().getGroupsOrThrow("Orderer");
    ConfigGroup writeOrderer = u.getWriteSet().getGroupsOrThrow("Orderer");
    assertThat(readOrderer.getValuesMap()).isEmpty();
    assertThat(readOrderer.getVersion()).isEqualTo(orderer.getVersion());
    assertThat(writeOrderer.getVersion()).isEqualTo(orderer.getVersion());
    assertThat(writeOrderer.getModPolicy()).isEmpty();
    ConfigValue written = writeOrderer.getValuesOrThrow("BatchSize");
    assertThat(written.getVersion()).isEqualTo(1);
    assertThat(written.getModPolicy()).isEqualTo("Admins");
    assertThat(written.getValue()).isEqualTo(batchSize(77).getValue());
    // the unchanged parts are in neither set
    assertThat(u.getReadSet().getGroupsMap()).containsOnlyKeys("Orderer");
    assertThat(writeOrderer.getGroupsMap()).isEmpty();
    assertThat(writeOrderer.getPoliciesMap()).isEmpty();
  }

  @Test
  void sameConfigsGiveNoUpdate() {
    assertThat(ConfigUpdates.compute(original, original.toBuilder().setSequence(9).build()))
        .isEmpty();
  }

  @Test
  void aRemovedValueWritesItsGroupAtVersionPlusOneWithEveryKeptMemberInBothSets() {
    ConfigGroup lessOrderer = orderer.toBuilder().removeValues("BatchTimeout").build();

    ConfigUpdate u = ConfigUpdates.compute(original, withOrderer(lessOrderer)).orElseThrow();

    ConfigGroup read = u.getReadSet().getGroupsOrThrow("Orderer");
    ConfigGroup write = u.getWriteSet().getGroupsOrThrow("Orderer");
    assertThat(write.getVersion()).isEqualTo(orderer.getVersion() + 1);
    assertThat(write.getModPolicy()).isEqualTo("Admins");
    assertThat(write.getValuesMap()).doesNotContainKey("BatchTimeout");
    assertThat(write.getValuesMap().keySet())
        .isEqualTo(read.getValuesMap().keySet())
        .containsExactlyInAnyOrder("BatchSize", "Capabilities", "ConsensusType");
    assertThat(write.getValuesOrThrow("BatchSize"))
        .isEqualTo(ConfigValue.newBuilder().setVersion(0).build());
    assertThat(write.getPoliciesMap().keySet())
        .containsExactlyInAnyOrder("Readers", "Writers", "Admins", "BlockValidation");
    // an unchanged child group is named at its version only
    assertThat(write.getGroupsOrThrow("OrdererOrg"))
        .isEqualTo(ConfigGroup.newBuilder().setVersion(0).build());
    // the root has changes below it only: read and written at its own version
    assertThat(u.getWriteSet().getVersion()).isEqualTo(root.getVersion());
    assertThat(u.getWriteSet().getModPolicy()).isEmpty();
  }

  @Test
  void anAddedGroupIsWrittenWholeAtVersionZero() {
    ConfigGroup org2 =
        root.getGroupsOrThrow("Application").getGroupsOrThrow("Org1").toBuilder()
            .setVersion(4)
            .build();
    ConfigGroup application =
        root.getGroupsOrThrow("Application").toBuilder().putGroups("Org2", org2).build();
    Config updated =
        original.toBuilder()
            .setChannelGroup(root.toBuilder().putGroups("Application", application))
            .build();

    ConfigUpdate u = ConfigUpdates.compute(original, updated).orElseThrow();

    ConfigGroup written = u.getWriteSet().getGroupsOrThrow("Application").getGroupsOrThrow("Org2");
    assertThat(written.getVersion()).isZero();
    assertThat(written.getModPolicy()).isEqualTo("Admins");
    assertThat(written.getValuesOrThrow("MSP").getVersion()).isZero();
    assertThat(written.getValuesOrThrow("MSP").getValue())
        .isEqualTo(org2.getValuesOrThrow("MSP").getValue());
    assertThat(written.getPoliciesMap()).containsOnlyKeys("Readers", "Writers", "Admins");
    assertThat(u.getWriteSet().getGroupsOrThrow("Application").getVersion()).isEqualTo(1);
    assertThat(u.getReadSet().getGroupsOrThrow("Application").getGroupsMap())
        .containsOnlyKeys("Org1");
  }

  @Test
  void aChangedModPolicyIsAChange() {
    ConfigValue batch = orderer.getValuesOrThrow("BatchSize");
    Config updated =
        withOrderer(
            orderer.toBuilder()
                .putValues("BatchSize", batch.toBuilder().setModPolicy("Writers").build())
                .build());

    ConfigUpdate u = ConfigUpdates.compute(original, updated).orElseThrow();

    ConfigValue written = u.getWriteSet().getGroupsOrThrow("Orderer").getValuesOrThrow("BatchSize");
    assertThat(written.getModPolicy()).isEqualTo("Writers");
    assertThat(written.getVersion()).isEqualTo(batch.getVersion() + 1);
  }

  @Test
  void theOrderersValidatorTakesTheComputedUpdateAndReachesTheUpdatedConfig() {
    ChannelConfig current = LOADER.load(original);
    Config updated = withOrderer(orderer.toBuilder().putValues("BatchSize", batchSize(77)).build());
    ConfigUpdate u = ConfigUpdates.compute(TestChannel.CHANNEL_ID, original, updated).orElseThrow();
    LocalSigningIdentity admin = channel.ordererOrg.member("admin", "admin");
    SecureRandom random = new SecureRandom();
    var envelope =
        ConfigUpdateEnvelopes.forSubmission(
            ConfigUpdateEnvelopes.addSignature(ConfigUpdateEnvelopes.unsigned(u), admin, random),
            admin,
            random,
            TestOrg.NOW);

    ProposedConfig p =
        new ConfigUpdateValidator(TestChannel.CHANNEL_ID, current, LOADER)
            .propose(envelope, TestOrg.NOW);

    assertThat(p.config().orderer().batchSize().maxMessageCount()).isEqualTo(77);
    ConfigValue expected =
        batchSize(77).toBuilder()
            .setVersion(orderer.getValuesOrThrow("BatchSize").getVersion() + 1)
            .build();
    assertThat(
            p.configEnvelope()
                .getConfig()
                .getChannelGroup()
                .getGroupsOrThrow("Orderer")
                .getValuesOrThrow("BatchSize"))
        .isEqualTo(expected);
  }

  private Config withOrderer(ConfigGroup o) {
    return original.toBuilder().setChannelGroup(root.toBuilder().putGroups("Orderer", o)).build();
  }

  private static ConfigValue batchSize(int count) {
    return TestChannel.value(
        BatchSize.newBuilder()
            .setMaxMessageCount(count)
            .setAbsoluteMaxBytes(10 * 1024 * 1024)
            .setPreferredMaxBytes(2 * 1024 * 1024)
            .build());
  }
}

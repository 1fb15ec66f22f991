package io.ordo.fabric.configtx;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.fabric.TestChannel;
import io.ordo.fabric.TestOrg;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.msp.LocalSigningIdentity;
import java.security.SecureRandom;
import java.util.List;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.HashingAlgorithm;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.junit.jupiter.api.Test;

/** Which policy config signatures leave unsatisfied, and what is missing, in words. */
class PolicyShortfallTest {
  private static final ChannelConfigLoader LOADER = new ChannelConfigLoader(TestOrg.ECDSA);

  private final TestChannel channel = new TestChannel();
  private final Config original = channel.config(3);
  private final ChannelConfig current = LOADER.load(original);
  private final LocalSigningIdentity ordererAdmin = channel.ordererOrg.member("admin", "admin");
  private final LocalSigningIdentity appAdmin = channel.appOrg.member("admin", "admin");
  private final SecureRandom random = new SecureRandom();

  private ConfigUpdate batchSizeUpdate() {
    ConfigGroup root = original.getChannelGroup();
    ConfigGroup orderer =
        root.getGroupsOrThrow("Orderer").toBuilder()
            .putValues(
                "BatchSize",
                TestChannel.value(BatchSize.newBuilder().setMaxMessageCount(9).build()))
            .build();
    Config updated =
        original.toBuilder()
            .setChannelGroup(root.toBuilder().putGroups("Orderer", orderer))
            .build();
    return ConfigUpdates.compute("mychannel", original, updated).orElseThrow();
  }

  private List<io.ordo.fabric.crypto.SignedData> signed(
      ConfigUpdate u, LocalSigningIdentity... signers) {
    var envelope = ConfigUpdateEnvelopes.unsigned(u);
    for (var s : signers) {
      envelope = ConfigUpdateEnvelopes.addSignature(envelope, s, random);
    }
    return ConfigSignatures.signedData(ConfigUpdateEnvelopes.updateEnvelope(envelope));
  }

  @Test
  void theMissingOrganizationIsNamedWithItsMspId() {
    ConfigUpdate u = batchSizeUpdate();

    assertThat(PolicyShortfall.explain(current, u, signed(u, appAdmin)))
        .hasValue(
            "policy /Channel/Orderer/Admins (mod_policy of /Channel/Orderer/BatchSize) is not"
                + " satisfied by 1 signature: MAJORITY Admins needs 1 of 1 organizations, none"
                + " signed; missing 1 more Admins signature from OrdererOrg (OrdererMSP)");
    assertThat(PolicyShortfall.explain(current, u, signed(u, appAdmin, ordererAdmin))).isEmpty();
  }

  @Test
  void aChannelValueNeedsTheAdminsOfBothGroups() {
    ConfigGroup root = original.getChannelGroup();
    Config updated =
        original.toBuilder()
            .setChannelGroup(
                root.toBuilder()
                    .putValues(
                        "HashingAlgorithm",
                        TestChannel.value(HashingAlgorithm.newBuilder().setName("SHA3").build())))
            .build();
    ConfigUpdate u = ConfigUpdates.compute("mychannel", original, updated).orElseThrow();

    assertThat(PolicyShortfall.explain(current, u, signed(u, ordererAdmin)))
        .hasValueSatisfying(
            why ->
                assertThat(why)
                    .contains("policy /Channel/Admins (mod_policy of /Channel/HashingAlgorithm)")
                    .contains("MAJORITY Admins needs 2 of 2 groups, Orderer signed")
                    .endsWith("missing 1 more Admins signature from Application"));
    assertThat(PolicyShortfall.explain(current, u, signed(u, ordererAdmin, appAdmin))).isEmpty();
  }
}

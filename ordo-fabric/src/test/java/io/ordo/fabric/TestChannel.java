package io.ordo.fabric;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.ordo.fabric.crypto.KeyPairs;
import io.ordo.fabric.crypto.Pem;
import io.ordo.fabric.policy.PolicyDsl;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.hyperledger.fabric.protos.common.BlockDataHashingStructure;
import org.hyperledger.fabric.protos.common.Capabilities;
import org.hyperledger.fabric.protos.common.Capability;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.HashingAlgorithm;
import org.hyperledger.fabric.protos.common.ImplicitMetaPolicy;
import org.hyperledger.fabric.protos.common.OrdererAddresses;
import org.hyperledger.fabric.protos.common.Policy;
import org.hyperledger.fabric.protos.msp.MSPConfig;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata;
import org.hyperledger.fabric.protos.orderer.etcdraft.Consenter;
import org.hyperledger.fabric.protos.orderer.etcdraft.Options;

/**
 * A channel config as configtxgen would write it for one orderer org with {@code consenters}
 * etcdraft nodes and one application org, all versions 0, every mod_policy Admins.
 */
public final class TestChannel {
  public static final String CHANNEL_ID = "mychannel";
  public final TestOrg ordererOrg = new TestOrg("OrdererMSP");
  public final TestOrg appOrg = new TestOrg("Org1MSP");
  private final SecureRandom random = new SecureRandom();

  public Config config(int consenters) {
    ConfigMetadata.Builder raft =
        ConfigMetadata.newBuilder()
            .setOptions(
                Options.newBuilder()
                    .setTickInterval("500ms")
                    .setElectionTick(10)
                    .setHeartbeatTick(1)
                    .setMaxInflightBlocks(5)
                    .setSnapshotIntervalSize(16 * 1024 * 1024));
    for (int i = 1; i <= consenters; i++) {
      raft.addConsenters(consenter(i));
    }
    ConfigGroup orderer =
        group()
            .putGroups("OrdererOrg", org(ordererOrg, true))
            .putValues(
                "ConsensusType",
                value(
                    ConsensusType.newBuilder()
                        .setType("etcdraft")
                        .setMetadata(raft.build().toByteString())
                        .build()))
            .putValues(
                "BatchSize",
                value(
                    BatchSize.newBuilder()
                        .setMaxMessageCount(500)
                        .setAbsoluteMaxBytes(10 * 1024 * 1024)
                        .setPreferredMaxBytes(2 * 1024 * 1024)
                        .build()))
            .putValues("BatchTimeout", value(BatchTimeout.newBuilder().setTimeout("2s").build()))
            .putValues("Capabilities", value(capabilities("V2_0")))
            .putPolicies("Readers", implicit("ANY", "Readers"))
            .putPolicies("Writers", implicit("ANY", "Writers"))
            .putPolicies("Admins", implicit("MAJORITY", "Admins"))
            .putPolicies("BlockValidation", implicit("ANY", "Writers"))
            .build();
    ConfigGroup application =
        group()
            .putGroups("Org1", org(appOrg, false))
            .putValues("Capabilities", value(capabilities("V2_5")))
            .putPolicies("Readers", implicit("ANY", "Readers"))
            .putPolicies("Writers", implicit("ANY", "Writers"))
            .putPolicies("Admins", implicit("MAJORITY", "Admins"))
            .build();
    ConfigGroup channel =
        group()
            .putGroups("Orderer", orderer)
            .putGroups("Application", application)
            .putValues(
                "HashingAlgorithm", value(HashingAlgorithm.newBuilder().setName("SHA256").build()))
            .putValues(
                "BlockDataHashingStructure",
                value(BlockDataHashingStructure.newBuilder().setWidth(-1).build()))
            .putValues("Capabilities", value(capabilities("V3_0")))
            .putPolicies("Readers", implicit("ANY", "Readers"))
            .putPolicies("Writers", implicit("ANY", "Writers"))
            .putPolicies("Admins", implicit("MAJORITY", "Admins"))
            .build();
    return Config.newBuilder().setChannelGroup(channel).build();
  }

  /** A consenter whose TLS certificate the orderer org's TLS CA issued. */
  public Consenter consenter(int n) {
    String host = "orderer" + n + ".example.com";
    var kp = KeyPairs.p256(random);
    var cert =
        ordererOrg.tlsCa.issue(
            host,
            List.of(),
            List.of(host, "localhost", "127.0.0.1"),
            kp.getPublic(),
            TestOrg.NOW.minus(Duration.ofHours(1)),
            TestOrg.NOW.plus(Duration.ofDays(365)));
    ByteString pem = ByteString.copyFrom(Pem.encode(cert));
    return Consenter.newBuilder()
        .setHost(host)
        .setPort(7050)
        .setClientTlsCert(pem)
        .setServerTlsCert(pem)
        .build();
  }

  private static ConfigGroup org(TestOrg org, boolean orderer) {
    ConfigGroup.Builder g =
        group()
            .putValues(
                "MSP",
                value(
                    MSPConfig.newBuilder()
                        .setType(0)
                        .setConfig(org.mspConfig().toByteString())
                        .build()))
            .putPolicies("Readers", signature("OR('" + org.mspId + ".member')"))
            .putPolicies("Writers", signature("OR('" + org.mspId + ".member')"))
            .putPolicies("Admins", signature("OR('" + org.mspId + ".admin')"));
    if (orderer) {
      g.putValues(
          "Endpoints",
          value(OrdererAddresses.newBuilder().addAddresses("orderer1.example.com:7050").build()));
    }
    return g.build();
  }

  public static ConfigGroup.Builder group() {
    return ConfigGroup.newBuilder().setModPolicy("Admins");
  }

  public static ConfigValue value(Message m) {
    return ConfigValue.newBuilder().setModPolicy("Admins").setValue(m.toByteString()).build();
  }

  private static Capabilities capabilities(String name) {
    return Capabilities.newBuilder().putCapabilities(name, Capability.getDefaultInstance()).build();
  }

  private static ConfigPolicy implicit(String rule, String sub) {
    var meta =
        ImplicitMetaPolicy.newBuilder()
            .setRule(ImplicitMetaPolicy.Rule.valueOf(rule))
            .setSubPolicy(sub)
            .build();
    return ConfigPolicy.newBuilder()
        .setModPolicy("Admins")
        .setPolicy(Policy.newBuilder().setType(3).setValue(meta.toByteString()))
        .build();
  }

  private static ConfigPolicy signature(String dsl) {
    return ConfigPolicy.newBuilder()
        .setModPolicy("Admins")
        .setPolicy(Policy.newBuilder().setType(1).setValue(PolicyDsl.compile(dsl).toByteString()))
        .build();
  }
}

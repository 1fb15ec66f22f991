package io.ordo.orderer.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.ordo.fabric.policy.PolicyDsl;
import java.util.ArrayList;
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
 * Builds an application channel config tree as configtxgen would for a V3_0 etcdraft channel:
 * orderer orgs, application orgs, ImplicitMeta channel policies, member Readers/Writers and admin
 * Admins per org.
 */
public final class TestChannelConfig {
  private final List<TestOrg> ordererOrgs = new ArrayList<>();
  private final List<TestOrg> applicationOrgs = new ArrayList<>();
  private final List<Consenter> consenters = new ArrayList<>();
  private BatchSize batchSize =
      BatchSize.newBuilder()
          .setMaxMessageCount(500)
          .setAbsoluteMaxBytes(10 * 1024 * 1024)
          .setPreferredMaxBytes(2 * 1024 * 1024)
          .build();
  private String consensusType = "etcdraft";
  private ConsensusType.State state = ConsensusType.State.STATE_NORMAL;
  private long sequence;

  public TestChannelConfig ordererOrg(TestOrg org) {
    ordererOrgs.add(org);
    return this;
  }

  public TestChannelConfig applicationOrg(TestOrg org) {
    applicationOrgs.add(org);
    return this;
  }

  public TestChannelConfig consenter(String host, int port, byte[] clientPem, byte[] serverPem) {
    consenters.add(
        Consenter.newBuilder()
            .setHost(host)
            .setPort(port)
            .setClientTlsCert(ByteString.copyFrom(clientPem))
            .setServerTlsCert(ByteString.copyFrom(serverPem))
            .build());
    return this;
  }

  public TestChannelConfig batchSize(int maxCount, int absoluteMax, int preferredMax) {
    batchSize =
        BatchSize.newBuilder()
            .setMaxMessageCount(maxCount)
            .setAbsoluteMaxBytes(absoluteMax)
            .setPreferredMaxBytes(preferredMax)
            .build();
    return this;
  }

  public TestChannelConfig consensus(String type, ConsensusType.State state) {
    this.consensusType = type;
    this.state = state;
    return this;
  }

  public TestChannelConfig sequence(long sequence) {
    this.sequence = sequence;
    return this;
  }

  public Config build() {
    ConfigGroup.Builder channel =
        group()
            .putValues("HashingAlgorithm", value(HashingAlgorithm.newBuilder().setName("SHA256")))
            .putValues(
                "BlockDataHashingStructure",
                value(BlockDataHashingStructure.newBuilder().setWidth(-1)))
            .putValues("Capabilities", capabilities("V3_0"));
    implicitMetaPolicies(channel);
    ConfigGroup.Builder orderer =
        group()
            .putValues("BatchSize", value(batchSize.toBuilder()))
            .putValues("BatchTimeout", value(BatchTimeout.newBuilder().setTimeout("2s")))
            .putValues("Capabilities", capabilities("V2_0"))
            .putValues(
                "ConsensusType",
                value(
                    ConsensusType.newBuilder()
                        .setType(consensusType)
                        .setState(state)
                        .setMetadata(
                            ConfigMetadata.newBuilder()
                                .addAllConsenters(consenters)
                                .setOptions(
                                    Options.newBuilder()
                                        .setTickInterval("500ms")
                                        .setElectionTick(10)
                                        .setHeartbeatTick(1)
                                        .setMaxInflightBlocks(5)
                                        .setSnapshotIntervalSize(16 * 1024 * 1024))
                                .build()
                                .toByteString())));
    implicitMetaPolicies(orderer);
    orderer.putPolicies("BlockValidation", implicitMeta("Writers", ImplicitMetaPolicy.Rule.ANY));
    for (TestOrg org : ordererOrgs) {
      orderer.putGroups(
          org.mspId,
          orgGroup(org)
              .putValues(
                  "Endpoints", value(OrdererAddresses.newBuilder().addAddresses("127.0.0.1:7050")))
              .build());
    }
    ConfigGroup.Builder application = group().putValues("Capabilities", capabilities("V2_5"));
    implicitMetaPolicies(application);
    for (TestOrg org : applicationOrgs) {
      application.putGroups(org.mspId, orgGroup(org).build());
    }
    channel.putGroups("Orderer", orderer.build());
    channel.putGroups("Application", application.build());
    return Config.newBuilder().setSequence(sequence).setChannelGroup(channel).build();
  }

  private static ConfigGroup.Builder group() {
    return ConfigGroup.newBuilder().setModPolicy("Admins");
  }

  private static ConfigGroup.Builder orgGroup(TestOrg org) {
    return group()
        .putValues(
            "MSP",
            value(MSPConfig.newBuilder().setType(0).setConfig(org.mspConfig().toByteString())))
        .putPolicies("Readers", signature("OR('" + org.mspId + ".member')"))
        .putPolicies("Writers", signature("OR('" + org.mspId + ".member')"))
        .putPolicies("Admins", signature("OR('" + org.mspId + ".admin')"));
  }

  private static void implicitMetaPolicies(ConfigGroup.Builder g) {
    g.putPolicies("Readers", implicitMeta("Readers", ImplicitMetaPolicy.Rule.ANY));
    g.putPolicies("Writers", implicitMeta("Writers", ImplicitMetaPolicy.Rule.ANY));
    g.putPolicies("Admins", implicitMeta("Admins", ImplicitMetaPolicy.Rule.MAJORITY));
  }

  private static ConfigPolicy implicitMeta(String sub, ImplicitMetaPolicy.Rule rule) {
    return ConfigPolicy.newBuilder()
        .setModPolicy("Admins")
        .setPolicy(
            Policy.newBuilder()
                .setType(Policy.PolicyType.IMPLICIT_META_VALUE)
                .setValue(
                    ImplicitMetaPolicy.newBuilder()
                        .setSubPolicy(sub)
                        .setRule(rule)
                        .build()
                        .toByteString()))
        .build();
  }

  private static ConfigPolicy signature(String dsl) {
    return ConfigPolicy.newBuilder()
        .setModPolicy("Admins")
        .setPolicy(
            Policy.newBuilder()
                .setType(Policy.PolicyType.SIGNATURE_VALUE)
                .setValue(PolicyDsl.compile(dsl).toByteString()))
        .build();
  }

  private static ConfigValue capabilities(String name) {
    return value(Capabilities.newBuilder().putCapabilities(name, Capability.getDefaultInstance()));
  }

  private static ConfigValue value(Message.Builder message) {
    return ConfigValue.newBuilder()
        .setModPolicy("Admins")
        .setValue(message.build().toByteString())
        .build();
  }
}

package io.ordo.fabric.genesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.ordo.fabric.channelconfig.GoDuration;
import io.ordo.fabric.msp.MspDirectory;
import io.ordo.fabric.policy.PolicyDsl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.hyperledger.fabric.protos.common.BlockDataHashingStructure;
import org.hyperledger.fabric.protos.common.Capabilities;
import org.hyperledger.fabric.protos.common.Capability;
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
import org.hyperledger.fabric.protos.orderer.ChannelRestrictions;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata;
import org.hyperledger.fabric.protos.orderer.etcdraft.Consenter;
import org.hyperledger.fabric.protos.orderer.etcdraft.Options;
import org.hyperledger.fabric.protos.peer.ACLs;
import org.hyperledger.fabric.protos.peer.APIResource;
import org.hyperledger.fabric.protos.peer.AnchorPeer;
import org.hyperledger.fabric.protos.peer.AnchorPeers;

/**
 * Encodes a configtx.yaml profile into the /Channel config group as configtxgen's encoder does:
 * every element at version 0 with mod_policy Admins (OrdererAddresses: /Channel/Orderer/Admins),
 * unset orderer values at configtxgen's defaults, certificates and MSP files read verbatim.
 */
public final class ChannelGroupEncoder {
  static final String ADMINS = "Admins";
  private static final int SIGNATURE = 1;
  private static final int IMPLICIT_META = 3;

  private final ConfigtxYaml yaml;

  public ChannelGroupEncoder(ConfigtxYaml yaml) {
    this.yaml = yaml;
  }

  /** The channel group of profile {@code profileName}. */
  public ConfigGroup channelGroup(String profileName) {
    JsonNode profile = yaml.profile(profileName);
    String where = "Profiles." + profileName;
    ConfigGroup.Builder channel = group();
    policies(channel, where, profile.path("Policies"), false);
    channel.putValues(
        "HashingAlgorithm", value(HashingAlgorithm.newBuilder().setName("SHA256").build()));
    channel.putValues(
        "BlockDataHashingStructure",
        value(BlockDataHashingStructure.newBuilder().setWidth(-1).build()));
    JsonNode orderer = profile.path("Orderer");
    if (orderer.path("Addresses").size() > 0) {
      OrdererAddresses.Builder a = OrdererAddresses.newBuilder();
      orderer.path("Addresses").forEach(x -> a.addAddresses(x.asText()));
      channel.putValues(
          "OrdererAddresses",
          value(a.build()).toBuilder().setModPolicy("/Channel/Orderer/Admins").build());
    }
    String consortium = profile.path("Consortium").asText("");
    if (!consortium.isEmpty()) {
      channel.putValues(
          "Consortium",
          value(
              org.hyperledger.fabric.protos.common.Consortium.newBuilder()
                  .setName(consortium)
                  .build()));
    }
    capabilities(channel, profile.path("Capabilities"));
    if (orderer.isObject()) {
      channel.putGroups("Orderer", orderer(where + ".Orderer", orderer));
    }
    JsonNode application = profile.path("Application");
    if (application.isObject()) {
      channel.putGroups("Application", application(where + ".Application", application));
    }
    return channel.build();
  }

  private ConfigGroup orderer(String where, JsonNode o) {
    ConfigGroup.Builder g = group();
    policies(g, where, o.path("Policies"), true);
    JsonNode bs = o.path("BatchSize");
    g.putValues(
        "BatchSize",
        value(
            BatchSize.newBuilder()
                .setMaxMessageCount(bs.path("MaxMessageCount").asInt(500))
                .setAbsoluteMaxBytes(
                    (int)
                        size(
                            where + ".BatchSize.AbsoluteMaxBytes",
                            bs.path("AbsoluteMaxBytes"),
                            10L << 20))
                .setPreferredMaxBytes(
                    (int)
                        size(
                            where + ".BatchSize.PreferredMaxBytes",
                            bs.path("PreferredMaxBytes"),
                            2L << 20))
                .build()));
    String timeout = o.path("BatchTimeout").asText("2s");
    g.putValues(
        "BatchTimeout",
        value(
            BatchTimeout.newBuilder()
                .setTimeout(GoDurationText.format(GoDuration.parse(timeout)))
                .build()));
    g.putValues(
        "ChannelRestrictions",
        value(
            ChannelRestrictions.newBuilder().setMaxCount(o.path("MaxChannels").asLong(0)).build()));
    capabilities(g, o.path("Capabilities"));
    String type = o.path("OrdererType").asText("solo");
    ConsensusType.Builder ct = ConsensusType.newBuilder().setType(type);
    if (type.equals("etcdraft")) {
      ct.setMetadata(etcdRaft(where + ".EtcdRaft", o.path("EtcdRaft")).toByteString());
    }
    g.putValues("ConsensusType", value(ct.build()));
    for (JsonNode org : o.path("Organizations")) {
      ConfigGroup.Builder og = org(org);
      if (org.path("OrdererEndpoints").size() > 0) {
        OrdererAddresses.Builder a = OrdererAddresses.newBuilder();
        org.path("OrdererEndpoints").forEach(x -> a.addAddresses(x.asText()));
        og.putValues("Endpoints", value(a.build()));
      }
      g.putGroups(org.path("Name").asText(), og.build());
    }
    return g.build();
  }

  private ConfigMetadata etcdRaft(String where, JsonNode raft) {
    ConfigMetadata.Builder m = ConfigMetadata.newBuilder();
    for (JsonNode c : raft.path("Consenters")) {
      m.addConsenters(
          Consenter.newBuilder()
              .setHost(c.path("Host").asText())
              .setPort(c.path("Port").asInt())
              .setClientTlsCert(file(where, c.path("ClientTLSCert").asText()))
              .setServerTlsCert(file(where, c.path("ServerTLSCert").asText())));
    }
    JsonNode o = raft.path("Options");
    m.setOptions(
        Options.newBuilder()
            .setTickInterval(o.path("TickInterval").asText("500ms"))
            .setElectionTick(o.path("ElectionTick").asInt(10))
            .setHeartbeatTick(o.path("HeartbeatTick").asInt(1))
            .setMaxInflightBlocks(o.path("MaxInflightBlocks").asInt(5))
            .setSnapshotIntervalSize(
                (int)
                    size(
                        where + ".Options.SnapshotIntervalSize",
                        o.path("SnapshotIntervalSize"),
                        16L << 20)));
    return m.build();
  }

  private ConfigGroup application(String where, JsonNode a) {
    ConfigGroup.Builder g = group();
    policies(g, where, a.path("Policies"), false);
    if (a.path("ACLs").size() > 0) {
      ACLs.Builder acls = ACLs.newBuilder();
      for (Iterator<Map.Entry<String, JsonNode>> it = a.path("ACLs").fields(); it.hasNext(); ) {
        var e = it.next();
        acls.putAcls(
            e.getKey(), APIResource.newBuilder().setPolicyRef(e.getValue().asText()).build());
      }
      g.putValues("ACLs", value(acls.build()));
    }
    capabilities(g, a.path("Capabilities"));
    for (JsonNode org : a.path("Organizations")) {
      ConfigGroup.Builder og = org(org);
      if (org.path("AnchorPeers").size() > 0) {
        AnchorPeers.Builder peers = AnchorPeers.newBuilder();
        for (JsonNode p : org.path("AnchorPeers")) {
          peers.addAnchorPeers(
              AnchorPeer.newBuilder()
                  .setHost(p.path("Host").asText())
                  .setPort(p.path("Port").asInt()));
        }
        og.putValues("AnchorPeers", value(peers.build()));
      }
      g.putGroups(org.path("Name").asText(), og.build());
    }
    return g.build();
  }

  /** An organisation's MSP value and policies. */
  private ConfigGroup.Builder org(JsonNode org) {
    String name = org.path("Name").asText();
    String where = "Organizations." + name;
    String type = org.path("MSPType").asText("bccsp");
    if (!type.equals("bccsp")) {
      throw new IllegalArgumentException(where + ": MSPType " + type + " is not supported");
    }
    Path dir = yaml.resolve(org.path("MSPDir").asText());
    var mspConfig = MspDirectory.verifyingConfig(dir, org.path("ID").asText());
    ConfigGroup.Builder g = group();
    g.putValues(
        "MSP",
        value(MSPConfig.newBuilder().setType(0).setConfig(mspConfig.toByteString()).build()));
    policies(g, where, org.path("Policies"), false);
    return g;
  }

  private static void policies(
      ConfigGroup.Builder g, String where, JsonNode policies, boolean orderer) {
    for (String required :
        orderer
            ? new String[] {"Readers", "Writers", "Admins", "BlockValidation"}
            : new String[] {"Readers", "Writers", "Admins"}) {
      if (!policies.has(required)) {
        throw new IllegalArgumentException(where + ": no " + required + " policy");
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = policies.fields(); it.hasNext(); ) {
      var e = it.next();
      g.putPolicies(e.getKey(), policy(where + ".Policies." + e.getKey(), e.getValue()));
    }
  }

  private static ConfigPolicy policy(String where, JsonNode p) {
    String type = p.path("Type").asText();
    String rule = p.path("Rule").asText();
    Policy policy =
        switch (type) {
          case "Signature" ->
              Policy.newBuilder()
                  .setType(SIGNATURE)
                  .setValue(PolicyDsl.compile(rule).toByteString())
                  .build();
          case "ImplicitMeta" -> {
            String[] parts = rule.trim().split("\\s+");
            if (parts.length != 2) {
              throw new IllegalArgumentException(where + ": implicit meta rule '" + rule + "'");
            }
            ImplicitMetaPolicy.Rule r;
            try {
              r = ImplicitMetaPolicy.Rule.valueOf(parts[0].toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException(where + ": unknown rule " + parts[0], e);
            }
            yield Policy.newBuilder()
                .setType(IMPLICIT_META)
                .setValue(
                    ImplicitMetaPolicy.newBuilder()
                        .setRule(r)
                        .setSubPolicy(parts[1])
                        .build()
                        .toByteString())
                .build();
          }
          default ->
              throw new IllegalArgumentException(where + ": unknown policy type '" + type + "'");
        };
    return ConfigPolicy.newBuilder().setPolicy(policy).setModPolicy(ADMINS).build();
  }

  private static void capabilities(ConfigGroup.Builder g, JsonNode caps) {
    Capabilities.Builder c = Capabilities.newBuilder();
    for (Iterator<Map.Entry<String, JsonNode>> it = caps.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getValue().asBoolean()) {
        c.putCapabilities(e.getKey(), Capability.getDefaultInstance());
      }
    }
    if (c.getCapabilitiesCount() > 0) {
      g.putValues("Capabilities", value(c.build()));
    }
  }

  private ByteString file(String where, String relative) {
    Path p = yaml.resolve(relative);
    try {
      return ByteString.copyFrom(Files.readAllBytes(p));
    } catch (IOException e) {
      throw new UncheckedIOException(where + ": unreadable " + p, e);
    }
  }

  private static long size(String where, JsonNode n, long dflt) {
    if (n.isMissingNode() || n.isNull()) {
      return dflt;
    }
    return n.isNumber() ? n.asLong() : ByteSizes.parse(where, n.asText());
  }

  private static ConfigGroup.Builder group() {
    return ConfigGroup.newBuilder().setModPolicy(ADMINS);
  }

  private static ConfigValue value(Message m) {
    return ConfigValue.newBuilder().setValue(m.toByteString()).setModPolicy(ADMINS).build();
  }
}

package io.ordo.fabric.channelconfig;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.crypto.Pem;
import io.ordo.fabric.msp.ChannelMsps;
import io.ordo.fabric.msp.FabricMsp;
import io.ordo.fabric.msp.MspManager;
import io.ordo.fabric.policy.InvalidPolicyException;
import io.ordo.fabric.policy.PolicyManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Capabilities;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HashingAlgorithm;
import org.hyperledger.fabric.protos.common.OrdererAddresses;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;
import org.hyperledger.fabric.protos.orderer.ChannelRestrictions;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata;

/** Reads and checks a channel config tree into a {@link ChannelConfig}. */
public final class ChannelConfigLoader {
  /** Channel capabilities a v3.0 orderer understands. */
  public static final Set<String> CHANNEL_CAPABILITIES =
      Set.of("V1_1", "V1_3", "V1_4_2", "V1_4_3", "V2_0", "V3_0");

  public static final Set<String> ORDERER_CAPABILITIES = Set.of("V1_1", "V1_4_2", "V2_0");
  public static final Set<String> APPLICATION_CAPABILITIES =
      Set.of("V1_1", "V1_2", "V1_3", "V1_4_2", "V2_0", "V2_5");

  private static final long MAX_UINT32 = 0xFFFFFFFFL;

  private final Ecdsa ecdsa;

  public ChannelConfigLoader(Ecdsa ecdsa) {
    this.ecdsa = ecdsa;
  }

  /** The config carried by a config block (one CONFIG envelope). */
  public ChannelConfig fromConfigBlock(Block block) {
    return load(configOf(block));
  }

  public static Config configOf(Block block) {
    String where = "block " + block.getHeader().getNumber();
    if (block.getData().getDataCount() != 1) {
      throw new ConfigException(where, "a config block holds exactly one envelope");
    }
    try {
      Envelope env = Envelope.parseFrom(block.getData().getData(0));
      Payload payload = Payload.parseFrom(env.getPayload());
      return ConfigEnvelope.parseFrom(payload.getData()).getConfig();
    } catch (InvalidProtocolBufferException e) {
      throw new ConfigException(where, "not a config envelope: " + e.getMessage(), e);
    }
  }

  public ChannelConfig load(Config config) {
    if (!config.hasChannelGroup()) {
      throw new ConfigException("/Channel", "config has no channel group");
    }
    ConfigGroup channel = config.getChannelGroup();
    HashingAlgorithm hashing =
        required(
            "/Channel/HashingAlgorithm", channel, "HashingAlgorithm", HashingAlgorithm.parser());
    if (!hashing.getName().equals("SHA256")) {
      throw new ConfigException(
          "/Channel/HashingAlgorithm", "unsupported hashing algorithm " + hashing.getName());
    }
    var width =
        required(
                "/Channel/BlockDataHashingStructure",
                channel,
                "BlockDataHashingStructure",
                org.hyperledger.fabric.protos.common.BlockDataHashingStructure.parser())
            .getWidth();
    if ((width & MAX_UINT32) != MAX_UINT32) {
      throw new ConfigException(
          "/Channel/BlockDataHashingStructure",
          "width must be 4294967295, got " + Integer.toUnsignedString(width));
    }
    List<String> addresses =
        optional(
                "/Channel/OrdererAddresses", channel, "OrdererAddresses", OrdererAddresses.parser())
            .<List<String>>map(a -> List.copyOf(a.getAddressesList()))
            .orElse(List.of());
    Set<String> channelCaps = capabilities("/Channel", channel, CHANNEL_CAPABILITIES);
    if (channelCaps.contains("V3_0") && !addresses.isEmpty()) {
      throw new ConfigException(
          "/Channel/OrdererAddresses",
          "global orderer addresses are not allowed with capability V3_0");
    }
    MspManager msps;
    try {
      msps = ChannelMsps.fromChannelGroup(channel);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("/Channel", e.getMessage(), e);
    }
    ConfigGroup ordererGroup = channel.getGroupsMap().get("Orderer");
    if (ordererGroup == null) {
      throw new ConfigException("/Channel/Orderer", "missing");
    }
    OrdererConfig orderer = orderer(ordererGroup, channelCaps.contains("V3_0"));
    Optional<ApplicationConfig> application =
        Optional.ofNullable(channel.getGroupsMap().get("Application")).map(this::application);
    PolicyManager policies;
    try {
      policies = PolicyManager.forChannel(channel, msps, ecdsa);
    } catch (InvalidPolicyException e) {
      throw new ConfigException("/Channel", e.getMessage(), e);
    }
    for (String required :
        List.of(
            "/Channel/Readers",
            "/Channel/Writers",
            "/Channel/Admins",
            "/Channel/Orderer/BlockValidation")) {
      if (policies.find(required).isEmpty()) {
        throw new ConfigException(required, "required policy is missing");
      }
    }
    return new ChannelConfig(
        config,
        hashing.getName(),
        MAX_UINT32,
        addresses,
        channelCaps,
        orderer,
        application,
        msps,
        policies);
  }

  private OrdererConfig orderer(ConfigGroup g, boolean v3) {
    String p = "/Channel/Orderer";
    ConsensusType ct = required(p + "/ConsensusType", g, "ConsensusType", ConsensusType.parser());
    if (ct.getType().isEmpty()) {
      throw new ConfigException(p + "/ConsensusType", "type is empty");
    }
    Optional<EtcdRaftConfig> raft = Optional.empty();
    if (ct.getType().equals("etcdraft")) {
      raft = Optional.of(etcdRaft(p + "/ConsensusType", ct.getMetadata()));
    }
    BatchSize bs = required(p + "/BatchSize", g, "BatchSize", BatchSize.parser());
    if (bs.getMaxMessageCount() == 0) {
      throw new ConfigException(p + "/BatchSize", "max_message_count must be greater than 0");
    }
    if (bs.getAbsoluteMaxBytes() == 0) {
      throw new ConfigException(p + "/BatchSize", "absolute_max_bytes must be greater than 0");
    }
    if (Integer.toUnsignedLong(bs.getPreferredMaxBytes())
        > Integer.toUnsignedLong(bs.getAbsoluteMaxBytes())) {
      throw new ConfigException(
          p + "/BatchSize",
          "preferred_max_bytes "
              + bs.getPreferredMaxBytes()
              + " exceeds absolute_max_bytes "
              + bs.getAbsoluteMaxBytes());
    }
    BatchTimeout bt = required(p + "/BatchTimeout", g, "BatchTimeout", BatchTimeout.parser());
    Duration timeout;
    try {
      timeout = GoDuration.parse(bt.getTimeout());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(p + "/BatchTimeout", e.getMessage(), e);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new ConfigException(
          p + "/BatchTimeout", "timeout must be positive, got " + bt.getTimeout());
    }
    long maxChannels =
        optional(p + "/ChannelRestrictions", g, "ChannelRestrictions", ChannelRestrictions.parser())
            .map(ChannelRestrictions::getMaxCount)
            .orElse(0L);
    Map<String, OrgConfig> orgs = new TreeMap<>();
    for (var e : new TreeMap<>(g.getGroupsMap()).entrySet()) {
      String op = p + "/" + e.getKey();
      OrgConfig org = org(op, e.getKey(), e.getValue());
      if (v3 && org.endpoints().isEmpty()) {
        throw new ConfigException(
            op + "/Endpoints", "orderer org endpoints are required with capability V3_0");
      }
      orgs.put(e.getKey(), org);
    }
    return new OrdererConfig(
        ct.getType(),
        ct.getState(),
        ct.getMetadata().toByteArray(),
        raft,
        new BatchSizeConfig(
            bs.getMaxMessageCount(),
            Integer.toUnsignedLong(bs.getAbsoluteMaxBytes()),
            Integer.toUnsignedLong(bs.getPreferredMaxBytes())),
        timeout,
        maxChannels,
        capabilities(p, g, ORDERER_CAPABILITIES),
        orgs);
  }

  /**
   * Decodes etcdraft ConfigMetadata, parsing every consenter certificate; the option rules that
   * Fabric applies to updates are in {@link #checkOptions}.
   */
  public static EtcdRaftConfig etcdRaft(String path, ByteString metadata) {
    ConfigMetadata m;
    try {
      m = ConfigMetadata.parseFrom(metadata);
    } catch (InvalidProtocolBufferException e) {
      throw new ConfigException(path, "etcdraft metadata does not decode: " + e.getMessage(), e);
    }
    var o = m.getOptions();
    Duration tick;
    try {
      tick = o.getTickInterval().isEmpty() ? Duration.ZERO : GoDuration.parse(o.getTickInterval());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(path, "TickInterval: " + e.getMessage(), e);
    }
    if (m.getConsentersCount() == 0) {
      throw new ConfigException(path, "empty consenter set");
    }
    List<RaftConsenter> consenters = new ArrayList<>();
    java.util.Set<ByteString> clientCerts = new java.util.HashSet<>();
    java.util.Set<ByteString> serverCerts = new java.util.HashSet<>();
    for (int i = 0; i < m.getConsentersCount(); i++) {
      var c = m.getConsenters(i);
      String cp = path + "/consenters[" + i + "]";
      for (ByteString cert : List.of(c.getClientTlsCert(), c.getServerTlsCert())) {
        try {
          Pem.certificate(cert.toByteArray());
        } catch (Pem.PemException e) {
          throw new ConfigException(cp, "TLS certificate does not parse: " + e.getMessage(), e);
        }
      }
      if (!clientCerts.add(c.getClientTlsCert()) || !serverCerts.add(c.getServerTlsCert())) {
        throw new ConfigException(cp, "duplicate consenter TLS certificate");
      }
      consenters.add(
          new RaftConsenter(
              c.getHost(),
              c.getPort(),
              c.getClientTlsCert().toByteArray(),
              c.getServerTlsCert().toByteArray()));
    }
    return new EtcdRaftConfig(
        consenters,
        new RaftOptions(
            tick,
            o.getElectionTick(),
            o.getHeartbeatTick(),
            o.getMaxInflightBlocks(),
            Integer.toUnsignedLong(o.getSnapshotIntervalSize())));
  }

  /**
   * The rules Fabric applies to etcdraft options of a config update (the options checks of {@code
   * etcdraft.VerifyConfigMetadata}, orderer/consensus/etcdraft/util.go).
   */
  public static void checkOptions(String path, ConfigMetadata m) {
    if (!m.hasOptions()) {
      throw new ConfigException(path, "etcdraft options are missing");
    }
    var o = m.getOptions();
    if (o.getHeartbeatTick() == 0 || o.getElectionTick() == 0 || o.getMaxInflightBlocks() == 0) {
      throw new ConfigException(
          path, "none of HeartbeatTick, ElectionTick and MaxInflightBlocks can be zero");
    }
    if (o.getElectionTick() <= o.getHeartbeatTick()) {
      throw new ConfigException(
          path,
          "ElectionTick ("
              + o.getElectionTick()
              + ") must be greater than HeartbeatTick ("
              + o.getHeartbeatTick()
              + ")");
    }
    final Duration tick;
    try {
      tick = GoDuration.parse(o.getTickInterval());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(path, "TickInterval: " + e.getMessage(), e);
    }
    if (tick.isZero() || tick.isNegative()) {
      throw new ConfigException(
          path, "TickInterval (" + o.getTickInterval() + ") must be greater than 0");
    }
  }

  private ApplicationConfig application(ConfigGroup g) {
    String p = "/Channel/Application";
    Map<String, OrgConfig> orgs = new TreeMap<>();
    for (var e : new TreeMap<>(g.getGroupsMap()).entrySet()) {
      orgs.put(e.getKey(), org(p + "/" + e.getKey(), e.getKey(), e.getValue()));
    }
    Map<String, String> acls = new TreeMap<>();
    optional(p + "/ACLs", g, "ACLs", org.hyperledger.fabric.protos.peer.ACLs.parser())
        .ifPresent(a -> a.getAclsMap().forEach((k, v) -> acls.put(k, v.getPolicyRef())));
    return new ApplicationConfig(capabilities(p, g, APPLICATION_CAPABILITIES), orgs, acls);
  }

  private static OrgConfig org(String path, String name, ConfigGroup g) {
    ConfigValue mspValue = g.getValuesMap().get("MSP");
    if (mspValue == null) {
      throw new ConfigException(path + "/MSP", "organisation has no MSP");
    }
    Optional<FabricMsp> msp;
    String mspId;
    try {
      if (ChannelMsps.isIdemix(path + "/MSP", mspValue)) {
        msp = Optional.empty();
        mspId = ChannelMsps.idemixMspId(path + "/MSP", mspValue);
      } else {
        msp = Optional.of(ChannelMsps.parse(path + "/MSP", mspValue));
        mspId = msp.get().mspId();
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(path + "/MSP", e.getMessage(), e);
    }
    List<String> endpoints =
        optional(path + "/Endpoints", g, "Endpoints", OrdererAddresses.parser())
            .<List<String>>map(a -> List.copyOf(a.getAddressesList()))
            .orElse(List.of());
    List<String> anchors =
        optional(
                path + "/AnchorPeers",
                g,
                "AnchorPeers",
                org.hyperledger.fabric.protos.peer.AnchorPeers.parser())
            .map(
                a ->
                    a.getAnchorPeersList().stream()
                        .map(x -> x.getHost() + ":" + x.getPort())
                        .toList())
            .orElse(List.of());
    return new OrgConfig(name, mspId, msp, endpoints, anchors);
  }

  private static Set<String> capabilities(String groupPath, ConfigGroup g, Set<String> known) {
    String p = groupPath + "/Capabilities";
    Set<String> caps =
        optional(p, g, "Capabilities", Capabilities.parser())
            .map(c -> Set.copyOf(c.getCapabilitiesMap().keySet()))
            .orElse(Set.of());
    for (String c : caps) {
      if (!known.contains(c)) {
        throw new ConfigException(p, "capability " + c + " is required but not supported");
      }
    }
    return caps;
  }

  private static <T extends Message> T required(
      String path, ConfigGroup g, String key, Parser<T> parser) {
    return optional(path, g, key, parser).orElseThrow(() -> new ConfigException(path, "missing"));
  }

  private static <T extends Message> Optional<T> optional(
      String path, ConfigGroup g, String key, Parser<T> parser) {
    ConfigValue v = g.getValuesMap().get(key);
    if (v == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(parser.parseFrom(v.getValue()));
    } catch (InvalidProtocolBufferException e) {
      throw new ConfigException(path, "value does not decode: " + e.getMessage(), e);
    }
  }
}

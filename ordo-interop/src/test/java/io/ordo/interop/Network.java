package io.ordo.interop;

import static org.awaitility.Awaitility.await;

import io.ordo.orderer.consensus.etcdraft.CampaignRule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * An interop network on loopback: crypto material (by cryptogen or {@code ordo crypto generate}), a
 * configtx.yaml with one consenter per orderer, the channel's genesis block (by configtxgen or
 * {@code ordo genesis}), and the orderers, each of the kind asked for, as raft IDs 1..n in that
 * order. Channels are joined with osnadmin; the client identity is Org1's User1.
 */
final class Network {
  static final String ORDERER_MSP = "OrdererMSP";
  static final String CLIENT_MSP = "Org1MSP";
  private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(90);

  private final Stage stage;
  private final Path dir;
  private final String channel;
  private final Path genesis;
  private final List<OrdererNode> orderers;
  private final List<OrdererNode> spares;

  private Network(
      Stage stage,
      Path dir,
      String channel,
      Path genesis,
      List<OrdererNode> nodes,
      List<OrdererNode> spares) {
    this.stage = stage;
    this.dir = dir;
    this.channel = channel;
    this.genesis = genesis;
    this.orderers = List.copyOf(nodes);
    this.spares = List.copyOf(spares);
  }

  static Builder on(Stage stage) {
    return new Builder(stage);
  }

  /** What a network is made of; {@link #build} writes its files and creates its processes. */
  static final class Builder {
    private final Stage stage;
    private List<OrdererKind> kinds = List.of(OrdererKind.ORDO);
    private List<OrdererKind> spareKinds = List.of();
    private Maker crypto = Maker.FABRIC;
    private Maker genesis = Maker.FABRIC;
    private String channel = "interop";
    private ClusterListener listener = ClusterListener.SHARED;
    private ConfigtxYaml.Options options = ConfigtxYaml.Options.defaults();
    private String folder = "network";
    private Map<String, String> extraEnv = Map.of();
    private Set<String> removedEnv = Set.of();
    private String keyAlgorithm = "";

    private Builder(Stage stage) {
      this.stage = stage;
    }

    Builder orderers(OrdererKind... kinds) {
      this.kinds = List.of(kinds);
      return this;
    }

    /**
     * Orderers made beside the consenters (crypto material, ports, settings, a process not started)
     * but left out of the genesis block: nodes to add to the channel later.
     */
    Builder spares(OrdererKind... kinds) {
      this.spareKinds = List.of(kinds);
      return this;
    }

    Builder crypto(Maker maker) {
      this.crypto = maker;
      return this;
    }

    /** cryptogen's PublicKeyAlgorithm for both orgs ("ed25519"); ECDSA when not called. */
    Builder keyAlgorithm(String algorithm) {
      this.keyAlgorithm = algorithm;
      return this;
    }

    Builder genesis(Maker maker) {
      this.genesis = maker;
      return this;
    }

    Builder channel(String name) {
      this.channel = name;
      return this;
    }

    Builder clusterListener(ClusterListener l) {
      this.listener = l;
      return this;
    }

    Builder options(ConfigtxYaml.Options o) {
      this.options = o;
      return this;
    }

    /** The folder under the test's data, when one test builds several networks. */
    Builder folder(String name) {
      this.folder = name;
      return this;
    }

    /** Variables every orderer gets besides (or instead of) the test network's. */
    Builder extraEnvironment(Map<String, String> env) {
      this.extraEnv = Map.copyOf(env);
      return this;
    }

    /** Variables of the test network's that no orderer gets. */
    Builder withoutEnvironment(Set<String> names) {
      this.removedEnv = Set.copyOf(names);
      return this;
    }

    Network build() {
      Path dir = stage.dir(folder);
      Path cryptoConfig =
          CryptoConfigYaml.write(
              dir.resolve("crypto-config.yaml"),
              kinds.size() + spareKinds.size(),
              true,
              keyAlgorithm,
              options.secondOrdererOrg());
      Path cryptoDir = dir.resolve("crypto");
      if (crypto == Maker.FABRIC) {
        stage.fabricTools().cryptogen(cryptoConfig, cryptoDir);
      } else {
        stage
            .ordoTools()
            .run(
                List.of(
                    "crypto",
                    "generate",
                    "--config",
                    cryptoConfig.toString(),
                    "--output",
                    cryptoDir.toString()))
            .requireSuccess();
      }
      List<OrdererPorts> ports = new ArrayList<>();
      List<ConfigtxYaml.Consenter> consenters = new ArrayList<>();
      List<OrdererKind> all = new ArrayList<>(kinds);
      all.addAll(spareKinds);
      for (int i = 1; i <= all.size(); i++) {
        OrdererPorts p = OrdererPorts.allocate(stage, listener);
        ports.add(p);
        if (i > kinds.size()) {
          continue;
        }
        consenters.add(
            new ConfigtxYaml.Consenter(
                p.cluster(),
                p.client(),
                "crypto/ordererOrganizations/example.com/orderers/"
                    + hostName(i)
                    + "/tls/server.crt"));
      }
      ConfigtxYaml.write(dir, consenters, options);
      Path block = dir.resolve(channel + ".block");
      if (genesis == Maker.FABRIC) {
        stage.fabricTools().configtxgen(dir, ConfigtxYaml.PROFILE, channel, block);
      } else {
        stage
            .ordoTools()
            .run(
                List.of(
                    "genesis",
                    "--configPath",
                    dir.toString(),
                    "--profile",
                    ConfigtxYaml.PROFILE,
                    "--channelID",
                    channel,
                    "--outputBlock",
                    block.toString()))
            .requireSuccess();
      }
      List<OrdererNode> nodes = new ArrayList<>();
      for (int i = 1; i <= all.size(); i++) {
        Path nodeCrypto =
            cryptoDir.resolve("ordererOrganizations/example.com/orderers").resolve(hostName(i));
        Path data = stage.dir(folder + "/nodes/" + hostName(i));
        Map<String, String> env =
            new HashMap<>(
                OrdererEnvironment.testNetwork(
                    stage.fabric().config(),
                    nodeCrypto,
                    ORDERER_MSP,
                    ports.get(i - 1),
                    listener,
                    data));
        env.keySet().removeAll(removedEnv);
        env.putAll(extraEnv);
        nodes.add(
            new OrdererNode(
                stage,
                i,
                hostName(i),
                all.get(i - 1),
                ports.get(i - 1),
                nodeCrypto,
                env,
                data,
                folder.equals("network") ? "" : folder + "-"));
      }
      return new Network(
          stage,
          dir,
          channel,
          block,
          nodes.subList(0, kinds.size()),
          nodes.subList(kinds.size(), nodes.size()));
    }
  }

  static String hostName(int i) {
    return "orderer" + i + ".example.com";
  }

  Path dir() {
    return dir;
  }

  String channel() {
    return channel;
  }

  Path genesisBlock() {
    return genesis;
  }

  List<OrdererNode> orderers() {
    return orderers;
  }

  OrdererNode orderer(int id) {
    return id <= orderers.size() ? orderers.get(id - 1) : spares.get(id - 1 - orderers.size());
  }

  /** The nodes {@link Builder#spares} made, not in the genesis block, not started. */
  List<OrdererNode> spares() {
    return spares;
  }

  Path ordererOrg() {
    return dir.resolve("crypto/ordererOrganizations/example.com");
  }

  /** The second orderer org's crypto material, when the network has one. */
  Path secondOrdererOrg() {
    return dir.resolve("crypto/ordererOrganizations/" + CryptoConfigYaml.SECOND_DOMAIN);
  }

  Path peerOrg() {
    return dir.resolve("crypto/peerOrganizations/org1.example.com");
  }

  AdminCredentials admin() {
    return AdminCredentials.of(ordererOrg());
  }

  /** The TLS CA of every orderer's certificates. */
  Path tlsCa() {
    return admin().tlsCa();
  }

  /** User1 of Org1: a client allowed to write and read the channel. */
  Path userMsp() {
    return peerOrg().resolve("users/User1@org1.example.com/msp");
  }

  /** The raft ID that campaigns first on this fresh channel (Fabric's rule). */
  int campaigner() {
    return (int) CampaignRule.campaigner(channel, orderers.size());
  }

  /** Starts every orderer, one after the other, each waited for. */
  void startAll() {
    orderers.forEach(OrdererNode::start);
  }

  /**
   * Joins every orderer to the channel with the genesis block through osnadmin, the node that
   * campaigns first last, so that the others listen when it does.
   */
  void joinAll() {
    joinAll(channel, genesis);
  }

  /**
   * Joins every orderer to another channel of this network's consenters with its genesis block
   * ({@link #makeChannel}), the node that campaigns first on it last.
   */
  void joinAll(String otherChannel, Path block) {
    joinAll(otherChannel, block, n -> {});
  }

  /** As {@link #joinAll(String, Path)}, calling {@code beforeJoin} before each node's join. */
  void joinAll(String otherChannel, Path block, Consumer<OrdererNode> beforeJoin) {
    int first = (int) CampaignRule.campaigner(otherChannel, orderers.size());
    List<OrdererNode> order =
        orderers.stream().sorted(Comparator.comparing((OrdererNode n) -> n.id() == first)).toList();
    for (OrdererNode n : order) {
      beforeJoin.accept(n);
      ToolResult r = osnadmin().join(n, otherChannel, block);
      if (!r.out().startsWith("Status: 201")) {
        throw new IllegalStateException(
            "join of " + n + " to " + otherChannel + " failed: " + r.describe());
      }
    }
  }

  /**
   * The genesis block of another channel with this network's consenters and profile, made by
   * configtxgen.
   */
  Path makeChannel(String otherChannel) {
    Path block = dir.resolve(otherChannel + ".block");
    stage.fabricTools().configtxgen(dir, ConfigtxYaml.PROFILE, otherChannel, block);
    return block;
  }

  Osnadmin osnadmin() {
    return new Osnadmin(stage.fabricTools(), admin());
  }

  /** The channel's status on a node, through osnadmin. */
  ChannelStatus status(OrdererNode node) {
    ToolResult r = osnadmin().list(node, Optional.of(channel));
    return ChannelStatus.parse(r.out());
  }

  /** The one node of {@code among} that leads the channel, once there is exactly one. */
  OrdererNode awaitLeader(List<OrdererNode> among) {
    return awaitLeader(among, channel);
  }

  /** {@link #awaitLeader(List)} of another channel these orderers serve. */
  OrdererNode awaitLeader(List<OrdererNode> among, String channel) {
    try {
      List<OrdererNode> leaders =
          await()
              .atMost(LEADER_TIMEOUT)
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> among.stream().filter(n -> n.operations().leads(channel)).toList(),
                  l -> l.size() == 1);
      return leaders.getFirst();
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(
          "no single leader of " + channel + " among " + among + " within " + LEADER_TIMEOUT, e);
    }
  }

  /**
   * The leader of the channel among {@code nodes}, once it counts every one of them active ({@code
   * consensus_etcdraft_active_nodes}): Fabric refuses a consenter change while its leader counts
   * too few active nodes, as it does for a while after an election.
   */
  OrdererNode awaitAllActive(List<OrdererNode> nodes) {
    return awaitAllActive(nodes, channel);
  }

  /** {@link #awaitAllActive(List)} of another channel these orderers serve. */
  OrdererNode awaitAllActive(List<OrdererNode> nodes, String channel) {
    OrdererNode leader = awaitLeader(nodes, channel);
    try {
      await()
          .atMost(LEADER_TIMEOUT)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  leader.operations().gauge("consensus_etcdraft_active_nodes", channel).orElse(0.0)
                      >= nodes.size());
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(
          leader
              + " does not count "
              + nodes
              + " active on "
              + channel
              + " within "
              + LEADER_TIMEOUT,
          e);
    }
    return leader;
  }

  /**
   * Waits until every given node has the channel at the same height as the first, and returns it.
   */
  long awaitSameHeight(List<OrdererNode> nodes, Duration within) {
    Map<OrdererNode, Long> last = new HashMap<>();
    try {
      await()
          .atMost(within)
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                for (OrdererNode n : nodes) {
                  last.put(n, status(n).height());
                }
                return last.values().stream().distinct().count() == 1;
              });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("heights differ after " + within + ": " + describe(last), e);
    }
    return last.get(nodes.getFirst());
  }

  private static String describe(Map<OrdererNode, Long> heights) {
    return heights.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", "));
  }

  /** {@code -o a,b,c --channel C --ca F --msp D --mspid Org1MSP} for {@code ordo bench/blocks}. */
  List<String> clientFlags(List<OrdererNode> nodes) {
    return clientFlags(nodes, channel);
  }

  /** {@link #clientFlags(List)} for another channel these orderers serve. */
  List<String> clientFlags(List<OrdererNode> nodes, String otherChannel) {
    return List.of(
        "-o",
        nodes.stream().map(OrdererNode::clientEndpoint).collect(Collectors.joining(",")),
        "--channel",
        otherChannel,
        "--ca",
        tlsCa().toString(),
        "--msp",
        userMsp().toString(),
        "--mspid",
        CLIENT_MSP);
  }
}

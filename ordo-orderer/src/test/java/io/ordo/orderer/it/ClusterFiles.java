package io.ordo.orderer.it;

import com.google.protobuf.ByteString;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.cryptogen.CryptoConfig;
import io.ordo.fabric.cryptogen.NetworkMaterial;
import io.ordo.fabric.genesis.ChannelGroupEncoder;
import io.ordo.fabric.genesis.ConfigtxYaml;
import io.ordo.fabric.genesis.GenesisBlocks;
import io.ordo.fabric.msp.LocalSigningIdentity;
import io.ordo.orderer.localnet.LocalConfigtx;
import io.ordo.orderer.localnet.LocalOrdererYaml;
import io.ordo.orderer.localnet.LoopbackPorts;
import io.ordo.orderer.testing.TlsReissue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The files of a process cluster, written once: cryptogen material (one orderer org with a node per
 * orderer, consenters of the genesis block or not; Org1, a member of the channel; Org2, known to no
 * channel), the configtx.yaml and genesis block of {@link #CHANNEL}, and one orderer.yaml per node
 * with TLS on the client, cluster and admin listeners and a plain HTTP operations listener.
 */
final class ClusterFiles {
  static final String CHANNEL = "mychannel";
  static final String DOMAIN = "example.com";
  static final String MEMBER_DOMAIN = "org1.example.com";
  static final String OUTSIDER_DOMAIN = "org2.example.com";

  final Path dir;
  final Path crypto;
  final ClusterSettings settings;
  final List<NodePorts> ports = new ArrayList<>();
  final Block genesis;

  ClusterFiles(Path dir, ClusterSettings settings) {
    this(dir, settings, Map.of());
  }

  /**
   * @param tlsNotAfter nodes whose TLS certificate expires at the given time instead of cryptogen's
   *     ten years, issued again by the org's TLS CA before the genesis block names it
   */
  ClusterFiles(Path dir, ClusterSettings settings, Map<Integer, Instant> tlsNotAfter) {
    this.dir = dir;
    this.settings = settings;
    this.crypto = dir.resolve("crypto");
    List<CryptoConfig.Node> nodes = new ArrayList<>();
    LoopbackPorts free = new LoopbackPorts(new java.util.Random());
    for (int i = 1; i <= settings.size(); i++) {
      String cn = "orderer" + i + "." + DOMAIN;
      nodes.add(new CryptoConfig.Node("orderer" + i, cn, List.of(cn, "localhost", "127.0.0.1")));
      ports.add(NodePorts.free(free, settings.proxiedCluster()));
    }
    SecureRandom random = new SecureRandom();
    new NetworkMaterial(random, Instant.now().minusSeconds(120))
        .write(
            new CryptoConfig(
                List.of(new CryptoConfig.Org("OrdererOrg", DOMAIN, true, nodes, 0)),
                List.of(
                    new CryptoConfig.Org("Org1", MEMBER_DOMAIN, true, List.of(), 1),
                    new CryptoConfig.Org("Org2", OUTSIDER_DOMAIN, true, List.of(), 1))),
            crypto);
    tlsNotAfter.forEach(
        (node, notAfter) ->
            TlsReissue.serverTls(
                crypto.resolve("ordererOrganizations/" + DOMAIN),
                DOMAIN,
                ordererTls(node),
                "orderer" + node + "." + DOMAIN,
                notAfter));
    Path configtx = dir.resolve("configtx.yaml");
    write(configtx, configtxYaml());
    genesis =
        GenesisBlocks.create(
            CHANNEL,
            new ChannelGroupEncoder(ConfigtxYaml.read(configtx))
                .channelGroup(LocalConfigtx.PROFILE),
            random,
            Instant.now());
    for (int i = 1; i <= settings.size(); i++) {
      write(ordererYaml(i), ordererYamlText(i));
    }
  }

  NodePorts ports(int node) {
    return ports.get(node - 1);
  }

  /** Rewrites node {@code node}'s orderer.yaml, for a test that needs other settings. */
  void editOrdererYaml(int node, java.util.function.UnaryOperator<String> edit) {
    try {
      write(ordererYaml(node), edit.apply(Files.readString(ordererYaml(node))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + ordererYaml(node), e);
    }
  }

  /** Node {@code node}'s TLS certificate, which it uses as client and server on the cluster. */
  ByteString tlsCert(int node) {
    try {
      return ByteString.copyFrom(Files.readAllBytes(ordererTls(node).resolve("server.crt")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the TLS certificate of node " + node, e);
    }
  }

  /** The orderer org's admin: signs config updates of the channel. */
  LocalSigningIdentity ordererAdmin() {
    return LocalSigningIdentity.load(
        crypto.resolve("ordererOrganizations/" + DOMAIN + "/users/Admin@" + DOMAIN + "/msp"),
        "OrdererMSP",
        Ecdsa.preferred());
  }

  Path nodeDir(int node) {
    return dir.resolve("node" + node);
  }

  Path ordererYaml(int node) {
    return nodeDir(node).resolve("orderer.yaml");
  }

  Path ordererTls(int node) {
    return crypto.resolve(
        "ordererOrganizations/" + DOMAIN + "/orderers/orderer" + node + "." + DOMAIN + "/tls");
  }

  Path tlsCaCert() {
    return crypto.resolve(
        "ordererOrganizations/" + DOMAIN + "/tlsca/tlsca." + DOMAIN + "-cert.pem");
  }

  /** The TLS folder (client.crt, client.key) of the orderer org's admin: the admin API's client. */
  Path ordererAdminTls() {
    return crypto.resolve("ordererOrganizations/" + DOMAIN + "/users/Admin@" + DOMAIN + "/tls");
  }

  /** Org1's User1: a client for NodeOUs, so a reader and writer of the channel. */
  LocalSigningIdentity member() {
    return user("Org1MSP", MEMBER_DOMAIN);
  }

  /** Org2's User1: a valid identity of an org that no channel knows. */
  LocalSigningIdentity outsider() {
    return user("Org2MSP", OUTSIDER_DOMAIN);
  }

  private LocalSigningIdentity user(String mspId, String domain) {
    return LocalSigningIdentity.load(
        crypto.resolve("peerOrganizations/" + domain + "/users/User1@" + domain + "/msp"),
        mspId,
        Ecdsa.preferred());
  }

  private String configtxYaml() {
    List<LocalConfigtx.Consenter> consenters = new ArrayList<>();
    for (int i = 1; i <= settings.genesisConsenters(); i++) {
      consenters.add(
          new LocalConfigtx.Consenter(
              ports(i).consenter(), ordererTls(i).resolve("server.crt").toString()));
    }
    return new LocalConfigtx(
            LocalConfigtx.PROFILE,
            crypto.toString(),
            LocalConfigtx.Orgs.standard(),
            consenters,
            ordererEndpoints(),
            new LocalConfigtx.Batch(
                settings.batchTimeout(),
                settings.maxMessageCount(),
                Integer.toString(settings.absoluteMaxBytes()),
                Integer.toString(settings.absoluteMaxBytes())),
            new LocalConfigtx.Raft(
                settings.tick(), settings.electionTick(), settings.snapshotIntervalSize()))
        .yaml();
  }

  /**
   * Every node's client endpoint: the org's OrdererEndpoints, where block pullers (catch-up,
   * onboarding, followers) look for blocks.
   */
  private List<String> ordererEndpoints() {
    List<String> endpoints = new ArrayList<>();
    for (int i = 1; i <= settings.size(); i++) {
      endpoints.add("127.0.0.1:" + ports(i).general());
    }
    return endpoints;
  }

  private String ordererYamlText(int node) {
    Path tls = ordererTls(node);
    NodePorts p = ports(node);
    return new LocalOrdererYaml(
            tls.toString(),
            tls.getParent().resolve("msp").toString(),
            "OrdererMSP",
            nodeDir(node).toString(),
            tlsCaCert().toString(),
            new LocalOrdererYaml.Ports(p.general(), p.cluster(), p.operations(), p.admin()),
            List.of("MaxRecvMsgSize: " + settings.maxRecvMsgSize()),
            List.of())
        .yaml();
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}

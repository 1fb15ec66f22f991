package io.ordo.cli.network;

import io.ordo.cli.CommandFailedException;
import io.ordo.fabric.cryptogen.CryptoConfig;
import io.ordo.fabric.cryptogen.NetworkMaterial;
import io.ordo.fabric.genesis.ChannelGroupEncoder;
import io.ordo.fabric.genesis.ConfigtxYaml;
import io.ordo.fabric.genesis.GenesisBlocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Writes a local network's files under one folder: cryptogen material (one orderer org holding the
 * nodes, one client org), {@code configtx.yaml}, a genesis block per channel, and one {@code
 * orderer.yaml} per node with TLS on the client, cluster and admin listeners (the admin one with
 * mutual TLS). Every path in the generated files is relative to the file's own folder
 * (configtx.yaml and orderer.yaml are read that way, as Fabric's tools read them), so the network
 * folder can be moved or copied whole.
 */
public final class NetworkLayout {
  static final String DOMAIN = "example.com";
  static final String CLIENT_DOMAIN = "org1.example.com";
  static final String ORDERER_MSP = "OrdererMSP";
  static final String CLIENT_MSP = "Org1MSP";
  static final String PROFILE = "OrdoChannel";

  private final Path dir;
  private final Path crypto;
  private final List<NodePorts> ports;

  /**
   * @param dir the network's folder (absolute)
   * @param ports one entry per node, node {@code i} (1-based) at index {@code i - 1}
   */
  public NetworkLayout(Path dir, List<NodePorts> ports) {
    this.dir = dir.toAbsolutePath().normalize();
    this.crypto = this.dir.resolve("crypto");
    this.ports = List.copyOf(ports);
  }

  /** The four loopback ports of one node. */
  public record NodePorts(int client, int cluster, int admin, int operations) {}

  public static String channelName(int index) {
    return index == 1 ? "mychannel" : "mychannel" + index;
  }

  public static String nodeName(int i) {
    return "orderer" + i;
  }

  public Path dir() {
    return dir;
  }

  public int size() {
    return ports.size();
  }

  public NodePorts ports(int i) {
    return ports.get(i - 1);
  }

  public Path nodeDir(int i) {
    return dir.resolve("nodes").resolve(nodeName(i));
  }

  public Path ordererYaml(int i) {
    return nodeDir(i).resolve("orderer.yaml");
  }

  public Path genesisBlock(String channel) {
    return dir.resolve("channels").resolve(channel + ".block");
  }

  Path ordererTls(int i) {
    return crypto.resolve(
        "ordererOrganizations/" + DOMAIN + "/orderers/" + nodeName(i) + "." + DOMAIN + "/tls");
  }

  public Path tlsCaCert() {
    return crypto.resolve(
        "ordererOrganizations/" + DOMAIN + "/tlsca/tlsca." + DOMAIN + "-cert.pem");
  }

  public Path adminTlsDir() {
    return crypto.resolve("ordererOrganizations/" + DOMAIN + "/users/Admin@" + DOMAIN + "/tls");
  }

  public Path clientMspDir() {
    return crypto.resolve(
        "peerOrganizations/" + CLIENT_DOMAIN + "/users/User1@" + CLIENT_DOMAIN + "/msp");
  }

  /** Writes every file; returns the genesis block of each channel, in channel order. */
  public List<Block> write(int channels, SecureRandom random) {
    List<CryptoConfig.Node> nodes = new ArrayList<>();
    for (int i = 1; i <= size(); i++) {
      String cn = nodeName(i) + "." + DOMAIN;
      nodes.add(new CryptoConfig.Node(nodeName(i), cn, List.of(cn, "localhost", "127.0.0.1")));
    }
    new NetworkMaterial(random, Instant.now().minusSeconds(120))
        .write(
            new CryptoConfig(
                List.of(new CryptoConfig.Org("OrdererOrg", DOMAIN, true, nodes, 0)),
                List.of(new CryptoConfig.Org(CLIENT_MSP, CLIENT_DOMAIN, true, List.of(), 1))),
            crypto);
    Path configtx = dir.resolve("configtx.yaml");
    write(configtx, configtxYaml());
    ConfigtxYaml yaml = ConfigtxYaml.read(configtx);
    List<Block> blocks = new ArrayList<>();
    for (int c = 1; c <= channels; c++) {
      Block genesis =
          GenesisBlocks.create(
              channelName(c),
              new ChannelGroupEncoder(yaml).channelGroup(PROFILE),
              random,
              Instant.now());
      write(genesisBlock(channelName(c)), genesis.toByteArray());
      blocks.add(genesis);
    }
    for (int i = 1; i <= size(); i++) {
      write(ordererYaml(i), ordererYamlText(i));
    }
    return blocks;
  }

  private String configtxYaml() {
    StringBuilder consenters = new StringBuilder();
    StringBuilder endpoints = new StringBuilder();
    for (int i = 1; i <= size(); i++) {
      String cert = relative(ordererTls(i).resolve("server.crt"));
      consenters
          .append("      - {Host: 127.0.0.1, Port: ")
          .append(ports(i).cluster())
          .append(", ClientTLSCert: ")
          .append(cert)
          .append(", ServerTLSCert: ")
          .append(cert)
          .append("}\n");
      endpoints
          .append(i == 1 ? "" : ", ")
          .append("\"127.0.0.1:")
          .append(ports(i).client())
          .append('"');
    }
    return """
        # written by ordo network up
        Organizations:
          - &OrdererOrg
            Name: OrdererOrg
            ID: %6$s
            MSPDir: %1$s/ordererOrganizations/%7$s/msp
            Policies:
              Readers: {Type: Signature, Rule: "OR('%6$s.member')"}
              Writers: {Type: Signature, Rule: "OR('%6$s.member')"}
              Admins: {Type: Signature, Rule: "OR('%6$s.admin')"}
            OrdererEndpoints: [%5$s]
          - &Org1
            Name: %8$s
            ID: %8$s
            MSPDir: %1$s/peerOrganizations/%9$s/msp
            Policies:
              Readers: {Type: Signature, Rule: "OR('%8$s.admin', '%8$s.peer', '%8$s.client')"}
              Writers: {Type: Signature, Rule: "OR('%8$s.admin', '%8$s.client')"}
              Admins: {Type: Signature, Rule: "OR('%8$s.admin')"}
              Endorsement: {Type: Signature, Rule: "OR('%8$s.peer')"}
        Profiles:
          %2$s:
            Policies:
              Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
              Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
              Admins: {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
            Capabilities: {V3_0: true}
            Orderer:
              OrdererType: etcdraft
              BatchTimeout: 2s
              BatchSize:
                MaxMessageCount: 500
                AbsoluteMaxBytes: 10 MB
                PreferredMaxBytes: 2 MB
              EtcdRaft:
                Consenters:
        %3$s
                Options:
                  TickInterval: %4$s
                  ElectionTick: 10
                  HeartbeatTick: 1
                  MaxInflightBlocks: 5
                  SnapshotIntervalSize: 16 MB
              Organizations: [*OrdererOrg]
              Policies:
                Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
                Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
                Admins: {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
                BlockValidation: {Type: ImplicitMeta, Rule: "ANY Writers"}
              Capabilities: {V2_0: true}
            Application:
              Organizations: [*Org1]
              Policies:
                Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
                Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
                Admins: {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
                LifecycleEndorsement: {Type: ImplicitMeta, Rule: "MAJORITY Endorsement"}
                Endorsement: {Type: ImplicitMeta, Rule: "MAJORITY Endorsement"}
              Capabilities: {V2_5: true}
        """
        .formatted(
            relative(crypto),
            PROFILE,
            consenters.toString().stripTrailing().indent(4).stripTrailing(),
            "500ms",
            endpoints,
            ORDERER_MSP,
            DOMAIN,
            CLIENT_MSP,
            CLIENT_DOMAIN);
  }

  private String ordererYamlText(int i) {
    Path node = nodeDir(i);
    String tls = node.relativize(ordererTls(i)).toString();
    NodePorts p = ports(i);
    return """
        # written by ordo network up
        General:
          ListenAddress: 127.0.0.1
          ListenPort: %6$d
          TLS:
            Enabled: true
            PrivateKey: %1$s/server.key
            Certificate: %1$s/server.crt
            RootCAs: [%1$s/ca.crt]
            ClientAuthRequired: false
          Cluster:
            ListenAddress: 127.0.0.1
            ListenPort: %2$d
            ServerCertificate: %1$s/server.crt
            ServerPrivateKey: %1$s/server.key
            ClientCertificate: %1$s/server.crt
            ClientPrivateKey: %1$s/server.key
            RootCAs: [%1$s/ca.crt]
          BootstrapMethod: none
          LocalMSPDir: %3$s/msp
          LocalMSPID: %9$s
        FileLedger:
          Location: %4$s/ledger
        Consensus:
          WALDir: %4$s/etcdraft/wal
          SnapDir: %4$s/etcdraft/snapshot
        Metrics:
          Provider: prometheus
        Operations:
          ListenAddress: 127.0.0.1:%8$d
        Admin:
          ListenAddress: 127.0.0.1:%7$d
          TLS:
            Enabled: true
            PrivateKey: %1$s/server.key
            Certificate: %1$s/server.crt
            ClientAuthRequired: true
            ClientRootCAs: [%5$s]
        """
        .formatted(
            tls,
            p.cluster(),
            node.relativize(ordererTls(i).getParent()),
            ".",
            node.relativize(tlsCaCert()),
            p.client(),
            p.admin(),
            p.operations(),
            ORDERER_MSP);
  }

  /** The network.json of this layout, its paths relative to the network's folder. */
  public NetworkFile networkFile() {
    List<NetworkFile.Node> nodes = new ArrayList<>();
    for (int i = 1; i <= size(); i++) {
      NodePorts p = ports(i);
      nodes.add(
          new NetworkFile.Node(
              nodeName(i) + "." + DOMAIN,
              i,
              "127.0.0.1:" + p.client(),
              "127.0.0.1:" + p.cluster(),
              "127.0.0.1:" + p.admin(),
              "127.0.0.1:" + p.operations()));
    }
    return new NetworkFile(
        channelName(1),
        relative(tlsCaCert()),
        new NetworkFile.Client(relative(clientMspDir()), CLIENT_MSP),
        new NetworkFile.Admin(
            relative(adminTlsDir().resolve("client.crt")),
            relative(adminTlsDir().resolve("client.key"))),
        nodes);
  }

  private String relative(Path p) {
    return dir.relativize(p).toString();
  }

  private static void write(Path file, String text) {
    write(file, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static void write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new CommandFailedException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}

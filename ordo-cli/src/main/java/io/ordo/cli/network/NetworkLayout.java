package io.ordo.cli.network;

import io.ordo.cli.CommandFailedException;
import io.ordo.fabric.cryptogen.CryptoConfig;
import io.ordo.fabric.cryptogen.NetworkMaterial;
import io.ordo.fabric.genesis.ChannelGroupEncoder;
import io.ordo.fabric.genesis.ConfigtxYaml;
import io.ordo.fabric.genesis.GenesisBlocks;
import io.ordo.orderer.localnet.LocalConfigtx;
import io.ordo.orderer.localnet.LocalOrdererYaml;
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
  private static final String HEADER = "# written by ordo network up\n";

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
    List<LocalConfigtx.Consenter> consenters = new ArrayList<>();
    List<String> endpoints = new ArrayList<>();
    for (int i = 1; i <= size(); i++) {
      consenters.add(
          new LocalConfigtx.Consenter(
              ports(i).cluster(), relative(ordererTls(i).resolve("server.crt"))));
      endpoints.add("127.0.0.1:" + ports(i).client());
    }
    return HEADER
        + new LocalConfigtx(
                PROFILE,
                relative(crypto),
                new LocalConfigtx.Orgs(ORDERER_MSP, DOMAIN, CLIENT_MSP, CLIENT_DOMAIN),
                consenters,
                endpoints,
                LocalConfigtx.Batch.standard(),
                LocalConfigtx.Raft.standard())
            .yaml();
  }

  private String ordererYamlText(int i) {
    Path node = nodeDir(i);
    NodePorts p = ports(i);
    return HEADER
        + new LocalOrdererYaml(
                node.relativize(ordererTls(i)).toString(),
                node.relativize(ordererTls(i).getParent()).resolve("msp").toString(),
                ORDERER_MSP,
                ".",
                node.relativize(tlsCaCert()).toString(),
                new LocalOrdererYaml.Ports(p.client(), p.cluster(), p.operations(), p.admin()),
                List.of(),
                List.of())
            .yaml();
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

package io.ordo.cli.client;

import io.ordo.cli.CommandFailedException;
import io.ordo.cli.InputFiles;
import io.ordo.cli.admin.OperationsClient;
import io.ordo.cli.network.NetworkFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of a command that talks to orderers as a client: explicit flags, or {@code --network
 * DIR} reading {@code DIR/network.json}; an explicit flag wins over the file.
 */
public final class OrdererOptions {
  /** The --node value that picks the channel's current leader. */
  static final String LEADER = "leader";

  /** How long --node leader looks for a leader (an election takes a few seconds). */
  private static final Duration LEADER_LOOKUP = Duration.ofSeconds(10);

  private static final Duration LEADER_POLL = Duration.ofMillis(200);

  @Option(
      names = {"-o", "--orderer"},
      paramLabel = "ADDR[,ADDR...]",
      split = ",",
      description = "Orderer client endpoints (host:port), comma-separated or repeated.")
  private List<String> orderers = new ArrayList<>();

  @Option(
      names = {"-c", "--channel", "--channelID"},
      paramLabel = "C",
      description = "The channel ID.")
  private String channel;

  @Option(
      names = {"--ca", "--cafile", "--ca-file"},
      paramLabel = "FILE",
      description = "PEM file of the CA that issued the orderers' TLS certificates.")
  private Path ca;

  @Option(
      names = "--msp",
      paramLabel = "DIR",
      description = "The client's MSP folder (signcerts/, keystore/).")
  private Path msp;

  @Option(names = "--mspid", paramLabel = "ID", description = "The client's MSP ID.")
  private String mspId;

  @Mixin private ClientCertificateOptions clientCertificate;

  @Option(
      names = "--network",
      paramLabel = "DIR",
      description =
          "Read the orderers, channel, TLS CA and client identity from DIR/network.json"
              + " (written by 'ordo network up'); explicit flags win.")
  private Path network;

  @Option(
      names = "--node",
      paramLabel = "NODE",
      description =
          "With --network: only this node, by name (orderer2.example.com or orderer2), raft ID,"
              + " or 'leader' for the node whose metrics say it leads the channel.")
  private String node;

  /** The --network folder, when given. */
  public Optional<Path> networkDir() {
    return Optional.ofNullable(network);
  }

  /** Whether an orderer was named at all, by -o or --network. */
  public boolean given() {
    return !orderers.isEmpty() || network != null;
  }

  /** The target, or a usage error naming the first missing option. */
  public OrdererTarget resolve(CommandLine cmd) {
    return resolve(cmd, List.of());
  }

  /**
   * The target, its endpoints {@code endpointsGiven} when not empty (an address given as a
   * parameter), else those of -o, else those of the network file.
   */
  public OrdererTarget resolve(CommandLine cmd, List<String> endpointsGiven) {
    if (node != null && network == null) {
      throw new ParameterException(cmd, "--node needs --network DIR");
    }
    Optional<NetworkFile> file = Optional.ofNullable(network).map(NetworkFile::read);
    List<String> endpoints = endpointsGiven.isEmpty() ? orderers : endpointsGiven;
    String ch = channel;
    Path caFile = ca;
    Path mspDir = msp;
    String id = mspId;
    if (file.isPresent()) {
      NetworkFile n = file.get();
      if (endpoints.isEmpty()) {
        endpoints =
            node == null
                ? n.clientEndpoints()
                : List.of(chosenNode(n, ch != null ? ch : n.channel()).client());
      }
      ch = ch != null ? ch : n.channel();
      caFile = caFile != null ? caFile : NetworkFile.resolve(network, n.tlsCaFile());
      if (n.client() != null) {
        mspDir = mspDir != null ? mspDir : NetworkFile.resolve(network, n.client().mspDir());
        id = id != null ? id : n.client().mspId();
      }
    }
    require(cmd, !endpoints.isEmpty(), "-o/--orderer");
    require(cmd, ch != null, "--channel");
    require(cmd, caFile != null, "--ca");
    require(cmd, mspDir != null, "--msp");
    require(cmd, id != null, "--mspid");
    Optional<OrdererTarget.ClientTls> tls = clientCertificate.resolve(cmd);
    InputFiles.readableFile(caFile, "TLS CA file");
    ChannelIdArguments.check(cmd, ch);
    return new OrdererTarget(OrdererEndpoint.parseAll(endpoints), ch, caFile, tls, mspDir, id);
  }

  /**
   * An orderer named by another option: {@code host:port}, or with --network a node's name or raft
   * ID.
   */
  public OrdererEndpoint endpointOf(String nameOrAddress) {
    if (network != null && !nameOrAddress.contains(":")) {
      NetworkFile n = NetworkFile.read(network);
      return OrdererEndpoint.parse(
          n.node(nameOrAddress, network.resolve(NetworkFile.FILE_NAME)).client());
    }
    return OrdererEndpoint.parse(nameOrAddress);
  }

  /** The node --node names; "leader" asks each node's operations endpoint which one leads. */
  private NetworkFile.Node chosenNode(NetworkFile n, String channelId) {
    Path file = network.resolve(NetworkFile.FILE_NAME);
    if (!LEADER.equals(node)) {
      return n.node(node, file);
    }
    try (OperationsClient operations = new OperationsClient()) {
      long deadline = System.nanoTime() + LEADER_LOOKUP.toNanos();
      while (true) {
        Optional<NetworkFile.Node> leader =
            n.nodes().stream()
                .filter(x -> operations.isLeader(x.operations(), channelId).orElse(false))
                .findFirst();
        if (leader.isPresent()) {
          return leader.get();
        }
        if (System.nanoTime() > deadline) {
          throw new CommandFailedException(
              "no node of "
                  + file
                  + " says it leads channel "
                  + channelId
                  + " (consensus_etcdraft_is_leader on their operations endpoints) within "
                  + LEADER_LOOKUP.toSeconds()
                  + " s; is the network up?");
        }
        // an election in progress, or a node slow to answer: ask again shortly
        LockSupport.parkNanos(LEADER_POLL.toNanos());
      }
    }
  }

  private static void require(CommandLine cmd, boolean present, String option) {
    if (!present) {
      throw new ParameterException(
          cmd, "Missing required option: '" + option + "' (or --network DIR)");
    }
  }
}

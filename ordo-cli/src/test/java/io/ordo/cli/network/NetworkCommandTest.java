package io.ordo.cli.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.stub.StreamObserver;
import io.ordo.cli.Cli;
import io.ordo.cli.CliContext;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.OrdoCommand;
import io.ordo.cli.admin.OperationsClient;
import io.ordo.cli.admin.ParticipationClient;
import io.ordo.cli.testing.LocalNetworks;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.crypto.Pem;
import io.ordo.fabric.envelope.Envelopes;
import io.ordo.fabric.msp.LocalSigningIdentity;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ordo network up --detach}, then {@code status} and {@code down}, with real processes. */
class NetworkCommandTest {
  private static final Duration AWAIT = Duration.ofSeconds(30);
  private static final int TX = 7;

  @TempDir Path dir;
  private final OperationsClient operations = new OperationsClient();
  private final SecureRandom random = new SecureRandom();
  private final List<ManagedChannel> channels = new ArrayList<>();

  @AfterEach
  void downWhateverRuns() {
    channels.forEach(ManagedChannel::shutdownNow);
    LocalNetworks.stopWhateverRuns(dir);
  }

  @Test
  void upDetachedStartsThreeNodesThatOrderWhatOneReceivesAndDownStopsThem() throws Exception {
    Cli.Result up = Cli.run("network", "up", "--detach", "--dir", dir.toString());
    assertThat(up.exit()).as(up.err()).isEqualTo(ExitCodes.OK);
    assertThat(up.out()).contains("orderer1.example.com", "./ordo bench --network");
    // the node the sha256 rule picks for mychannel among three (campaign-rule.json) leads
    assertThat(up.out()).contains("channel: mychannel, leader: raft ID 2");

    NetworkFile network = NetworkFile.read(dir);
    assertThat(network.channel()).isEqualTo("mychannel");
    assertThat(network.nodes()).extracting(NetworkFile.Node::raftId).containsExactly(1L, 2L, 3L);
    assertThat(NetworkFile.resolve(dir, network.tlsCaFile())).isRegularFile();
    assertThat(NetworkFile.resolve(dir, network.client().mspDir()).resolve("signcerts"))
        .isDirectory();
    NodeProcesses processes = new NodeProcesses(dir);
    List<ProcessHandle> alive =
        List.of("orderer1", "orderer2", "orderer3").stream()
            .map(n -> processes.running(n).orElseThrow(() -> new AssertionError(n + " not alive")))
            .toList();
    try (ParticipationClient admin = adminOf(network)) {
      for (NetworkFile.Node n : network.nodes()) {
        assertThat(admin.status(n.adminEndpoint(), "mychannel"))
            .hasValueSatisfying(
                s -> {
                  assertThat(s.status()).isEqualTo("active");
                  assertThat(s.consensusRelation()).isEqualTo("consenter");
                  assertThat(s.height()).isGreaterThanOrEqualTo(1);
                });
      }
    }

    Cli.Result again = Cli.run("network", "up", "--detach", "--dir", dir.toString());
    assertThat(again.exit()).isEqualTo(ExitCodes.ERROR);
    assertThat(again.errLines()).singleElement().asString().contains("a network is running");

    LocalSigningIdentity client =
        LocalSigningIdentity.load(
            NetworkFile.resolve(dir, network.client().mspDir()),
            network.client().mspId(),
            Ecdsa.preferred());
    List<String> sent = broadcast(network, network.nodes().get(0), client);
    for (NetworkFile.Node n : network.nodes()) {
      await()
          .atMost(AWAIT)
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () ->
                  assertThat(transactions(deliver(network, n, client)))
                      .as(n.name())
                      .isEqualTo(sent));
    }

    Cli.Result status = Cli.run("network", "status", "--dir", dir.toString());
    assertThat(status.exit()).isEqualTo(ExitCodes.OK);
    assertThat(status.out()).contains("active");

    Cli.Result down = Cli.run("network", "down", "--dir", dir.toString());
    assertThat(down.exit()).as(down.err()).isEqualTo(ExitCodes.OK);
    assertThat(down.out()).contains("stopped 3 node(s)");
    assertThat(alive).noneMatch(ProcessHandle::isAlive);
    Cli.Result after = Cli.run("network", "status", "--dir", dir.toString());
    assertThat(after.exit()).isEqualTo(ExitCodes.ERROR);
    assertThat(after.out()).contains("down");
  }

  @Test
  void upThenBenchOf5000ThenBlocksVerifyOnEveryNodeThenDown() throws Exception {
    Cli.Result up = Cli.run("network", "up", "--detach", "--dir", dir.toString());
    assertThat(up.exit()).as(up.err()).isEqualTo(ExitCodes.OK);

    Path report = dir.resolve("report");
    Cli.Result bench =
        Cli.run(
            "bench",
            "--network",
            dir.toString(),
            "--tx",
            "5000",
            "--size",
            "3072",
            "--streams",
            "8",
            "--timeout",
            "3m",
            "--report",
            report.toString());
    assertThat(bench.exit()).as(bench.err()).isEqualTo(ExitCodes.OK);
    var result =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(report.resolve("result.json").toFile());
    assertThat(result.get("committed").asInt()).isEqualTo(5000);

    NetworkFile network = NetworkFile.read(dir);
    // every node's whole chain, delivered and verified: hash chain, data hashes, signatures
    for (NetworkFile.Node n : network.nodes()) {
      Cli.Result verify =
          Cli.run("blocks", "verify", n.client(), "--network", dir.toString(), "-q");
      assertThat(verify.exit()).as(n.name() + ": " + verify.out() + verify.err()).isZero();
      assertThat(verify.out()).contains(n.client() + ": channel mychannel: all ");
    }
    // --node leader picks the node whose metrics say it leads the channel
    String leaderClient;
    try (ParticipationClient admin = adminOf(network)) {
      leaderClient =
          network.nodes().stream()
              .filter(n -> operations.isLeader(n.operations(), "mychannel").orElse(false))
              .findFirst()
              .orElseThrow()
              .client();
    }
    Cli.Result onLeader =
        Cli.run("blocks", "verify", "--network", dir.toString(), "--node", "leader", "-q");
    assertThat(onLeader.exit()).as(onLeader.err()).isZero();
    assertThat(onLeader.out()).contains(leaderClient + ": channel mychannel: all ");
    // every node holds the same chain (headers and data; each orderer signs its own copy)
    long height;
    try (ParticipationClient admin = adminOf(network)) {
      height =
          admin.status(network.nodes().get(0).adminEndpoint(), "mychannel").orElseThrow().height();
    }
    List<List<byte[]>> chains = new ArrayList<>();
    for (NetworkFile.Node n : network.nodes()) {
      Path out = dir.resolve("fetched-" + n.raftId());
      Cli.Result fetch =
          Cli.run(
              "blocks",
              "fetch",
              "--network",
              dir.toString(),
              "--node",
              n.name(),
              "--from",
              "0",
              "--to",
              Long.toString(height - 1),
              "--output",
              out.toString());
      assertThat(fetch.exit()).as(fetch.err()).isEqualTo(ExitCodes.OK);
      List<byte[]> headersAndData = new ArrayList<>();
      for (long b = 0; b < height; b++) {
        var block =
            org.hyperledger.fabric.protos.common.Block.parseFrom(
                java.nio.file.Files.readAllBytes(out.resolve("block-" + b + ".pb")));
        headersAndData.add(
            block.getHeader().toByteString().concat(block.getData().toByteString()).toByteArray());
      }
      chains.add(headersAndData);
    }
    for (int i = 1; i < chains.size(); i++) {
      for (int b = 0; b < height; b++) {
        assertThat(chains.get(i).get(b))
            .as("block %d of node %d", b, i + 1)
            .isEqualTo(chains.get(0).get(b));
      }
    }
    // the admin API of every node, through network.json: one heading per node
    Cli.Result channels = Cli.run("channel", "list", "--network", dir.toString());
    assertThat(channels.exit()).as(channels.err()).isZero();
    for (NetworkFile.Node n : network.nodes()) {
      assertThat(channels.out()).contains("== " + n.name() + " (" + n.adminEndpoint() + ")");
    }
    assertThat(channels.out().split("Status: 200", -1)).hasSize(4);

    Cli.Result down = Cli.run("network", "down", "--dir", dir.toString());
    assertThat(down.exit()).as(down.err()).isEqualTo(ExitCodes.OK);
  }

  @Test
  void withTwoChannelsEveryNodeIsJoinedToMychannelAndMychannel2() {
    NetworkFile network = LocalNetworks.upDetached(dir, 1, 2);
    assertThat(network.nodes()).hasSize(1);
    try (ParticipationClient admin = adminOf(network)) {
      for (String channel : List.of("mychannel", "mychannel2")) {
        assertThat(admin.status(network.nodes().get(0).adminEndpoint(), channel))
            .as(channel)
            .hasValueSatisfying(s -> assertThat(s.active()).isTrue());
      }
    }
    assertThat(dir.resolve("channels/mychannel2.block")).isRegularFile();
    assertThat(Cli.run("network", "down", "--dir", dir.toString()).exit()).isEqualTo(ExitCodes.OK);
    assertThat(new NodeProcesses(dir).running("orderer1")).isEmpty();
  }

  @Test
  void inTheForegroundStoppingTheCommandStopsItsNodes() throws Exception {
    // StringWriter is synchronized: the test reads what the command has printed so far
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = OrdoCommand.commandLine(new CliContext(Map.of(), false));
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Thread foreground =
        new Thread(
            () ->
                exit.complete(
                    cmd.execute("network", "up", "--nodes", "1", "--dir", dir.toString())),
            "network-up-foreground");
    foreground.start();
    NodeProcesses processes = new NodeProcesses(dir);
    await()
        .atMost(AWAIT)
        .until(() -> out.toString().contains("running; Ctrl-C stops every node") || exit.isDone());
    assertThat(exit).as(err.toString()).isNotDone();
    ProcessHandle node = processes.running("orderer1").orElseThrow();
    foreground.interrupt();
    assertThat(exit.get(30, TimeUnit.SECONDS)).as(err.toString()).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).contains("orderer1.example.com");
    assertThat(node.isAlive()).isFalse();
    assertThat(processes.nodesWithPidFiles()).isEmpty();
  }

  @Test
  void aFolderWithOtherFilesIsRefusedWithoutClean() throws Exception {
    Files.writeString(dir.resolve("notes.txt"), "mine");
    Cli.Result r = Cli.run("network", "up", "--detach", "--dir", dir.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.errLines()).singleElement().asString().contains("not empty", "--clean");
    assertThat(dir.resolve("notes.txt")).exists();
  }

  @Test
  void statusAndDownOfAFolderWithoutNetworkAreOneLineErrors() {
    for (String cmd : List.of("status", "down")) {
      Cli.Result r = Cli.run("network", cmd, "--dir", dir.toString());
      assertThat(r.exit()).as(cmd).isEqualTo(ExitCodes.ERROR);
      assertThat(r.errLines()).as(cmd).singleElement().asString().contains("no network in");
    }
  }

  @Test
  void zeroNodesIsAUsageError() {
    Cli.Result r = Cli.run("network", "up", "--nodes", "0", "--dir", dir.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines()).singleElement().asString().contains("--nodes");
  }

  // ---------------------------------------------------------------- helpers

  private ParticipationClient adminOf(NetworkFile network) {
    return ParticipationClient.mutualTls(
        NetworkFile.resolve(dir, network.tlsCaFile()),
        NetworkFile.resolve(dir, network.admin().certFile()),
        NetworkFile.resolve(dir, network.admin().keyFile()));
  }

  private ManagedChannel channelTo(NetworkFile network, NetworkFile.Node node) throws Exception {
    SslContextBuilder b = GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK);
    b.trustManager(
        Pem.certificate(Files.readAllBytes(NetworkFile.resolve(dir, network.tlsCaFile()))));
    String[] hostPort = node.client().split(":");
    ManagedChannel ch =
        NettyChannelBuilder.forAddress(hostPort[0], Integer.parseInt(hostPort[1]))
            .sslContext(b.build())
            .build();
    channels.add(ch);
    return ch;
  }

  /** Sends {@link #TX} signed envelopes on one Broadcast stream; every answer must be SUCCESS. */
  private List<String> broadcast(
      NetworkFile network, NetworkFile.Node node, LocalSigningIdentity client) throws Exception {
    List<BroadcastResponse> responses = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> ended = new CompletableFuture<>();
    StreamObserver<Envelope> stream =
        AtomicBroadcastGrpc.newStub(channelTo(network, node))
            .broadcast(
                new StreamObserver<>() {
                  @Override
                  public void onNext(BroadcastResponse r) {
                    responses.add(r);
                  }

                  @Override
                  public void onError(Throwable t) {
                    ended.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    ended.complete(null);
                  }
                });
    List<String> ids = new ArrayList<>();
    for (int k = 0; k < TX; k++) {
      String id = "network-test-" + k;
      ids.add(id);
      stream.onNext(
          Envelopes.signed(
              HeaderType.ENDORSER_TRANSACTION,
              network.channel(),
              ByteString.copyFromUtf8(id),
              client,
              random,
              Instant.now()));
    }
    await().atMost(AWAIT).until(() -> responses.size() == TX || ended.isDone());
    stream.onCompleted();
    assertThat(responses)
        .hasSize(TX)
        .allSatisfy(r -> assertThat(r.getStatus().name()).as(r.getInfo()).isEqualTo("SUCCESS"));
    return ids;
  }

  /** Blocks 0 up to the newest of a node, over Deliver with a seek signed by the client. */
  private List<Block> deliver(
      NetworkFile network, NetworkFile.Node node, LocalSigningIdentity client) throws Exception {
    SeekInfo info =
        SeekInfo.newBuilder()
            .setStart(SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder()))
            .setStop(
                SeekPosition.newBuilder()
                    .setNewest(
                        org.hyperledger.fabric.protos.orderer.SeekNewest.getDefaultInstance()))
            .setBehavior(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY)
            .build();
    List<Block> blocks = new CopyOnWriteArrayList<>();
    CompletableFuture<String> status = new CompletableFuture<>();
    StreamObserver<Envelope> requests =
        AtomicBroadcastGrpc.newStub(channelTo(network, node))
            .deliver(
                new StreamObserver<>() {
                  @Override
                  public void onNext(DeliverResponse r) {
                    if (r.hasBlock()) {
                      blocks.add(r.getBlock());
                    } else {
                      status.complete(r.getStatus().name());
                    }
                  }

                  @Override
                  public void onError(Throwable t) {
                    status.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    status.complete("(completed)");
                  }
                });
    requests.onNext(
        Envelopes.signed(
            HeaderType.DELIVER_SEEK_INFO,
            network.channel(),
            info.toByteString(),
            client,
            random,
            Instant.now()));
    assertThat(status.get(10, TimeUnit.SECONDS)).isEqualTo("SUCCESS");
    requests.onCompleted();
    return blocks;
  }

  /** The payload data of every transaction after the genesis block, in block order. */
  private static List<String> transactions(List<Block> blocks) throws Exception {
    List<String> out = new ArrayList<>();
    for (Block b : blocks.subList(1, blocks.size())) {
      for (ByteString raw : b.getData().getDataList()) {
        Payload p = Payload.parseFrom(Envelope.parseFrom(raw).getPayload());
        out.add(p.getData().toString(StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}

package io.ordo.interop;

import static io.ordo.interop.OrdererKind.FABRIC;
import static io.ordo.interop.OrdererKind.ORDO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 4 of the interop suite, clients and peers: Fabric's {@code peer channel fetch} (newest,
 * oldest, config, a number) gets Ordo's blocks byte for byte as {@code ordo blocks fetch} does, and
 * {@code configtxlator proto_decode} decodes them; a Fabric peer started with {@code peer node
 * start} joins a channel Ordo orders and commits every block; {@code ordo bench} and {@code ordo
 * blocks verify} work against Fabric's orderer.
 */
@InteropTest
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ClientsAndPeersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void fabricsPeerCliFetchesOrdosBlocksAndConfigtxlatorDecodesThem(Stage stage) throws IOException {
    Network net = Network.on(stage).orderers(ORDO).build();
    net.startAll();
    net.joinAll();
    OrdererNode ordo = net.awaitLeader(net.orderers());
    Load.bench(stage, net, net.orderers(), 300, Duration.ofMinutes(2));
    long height = net.status(ordo).height();
    assertThat(height).isGreaterThan(3);

    PeerCli client = new PeerCli(stage.fabricTools(), Network.CLIENT_MSP, net.userMsp(), null);
    Path dir = stage.dir("fetched");
    Map<String, Long> expected = Map.of("newest", height - 1, "oldest", 0L, "config", 0L, "2", 2L);
    for (var e : expected.entrySet()) {
      Path file = dir.resolve("peer-" + e.getKey() + ".block");
      ToolResult fetch =
          client.fetch(e.getKey(), file, ordo.clientEndpoint(), net.channel(), net.tlsCa());
      assertThat(fetch.exitCode()).as(fetch.describe()).isZero();
      long number = e.getValue();
      assertThat(Files.readAllBytes(file))
          .as("peer channel fetch %s: block %d as Ordo stores and sends it", e.getKey(), number)
          .isEqualTo(Files.readAllBytes(ordoFetch(stage, net, ordo, number)));

      ToolResult decoded =
          stage
              .fabricTools()
              .configtxlator(
                  List.of("proto_decode", "--type", "common.Block", "--input", file.toString()));
      assertThat(decoded.exitCode()).as(decoded.describe()).isZero();
      JsonNode block = JSON.readTree(decoded.out());
      ToolResult inspected = stage.ordoTools().run(List.of("blocks", "inspect", file.toString()));
      assertThat(inspected.exitCode()).as(inspected.describe()).isZero();
      assertThat(withoutSignaturesSlot(JSON.readTree(inspected.out())))
          .as("ordo blocks inspect of block %d, as configtxlator decodes it", number)
          .isEqualTo(withoutSignaturesSlot(block));
      assertThat(block.at("/header/number").asText()).isEqualTo(Long.toString(number));
      JsonNode channelHeader = block.at("/data/data/0/payload/header/channel_header");
      assertThat(channelHeader.path("channel_id").asText()).isEqualTo(net.channel());
      if (number == 0) {
        assertThat(
                block
                    .at("/data/data/0/payload/data/config/channel_group/groups/Orderer")
                    .isObject())
            .as("the config tree decoded")
            .isTrue();
      } else {
        assertThat(channelHeader.path("type").asInt()).as("ENDORSER_TRANSACTION").isEqualTo(3);
        assertThat(signer(Chains.read(file)))
            .as("the orderer that signed block %d", number)
            .isEqualTo(Network.ORDERER_MSP);
      }
    }
  }

  @Test
  void aFabricPeerJoinsAChannelOrdoOrdersAndCommitsEveryBlock(Stage stage) {
    Network net = Network.on(stage).orderers(ORDO).build();
    net.startAll();
    net.joinAll();
    OrdererNode ordo = net.awaitLeader(net.orderers());

    PeerNode peer =
        new PeerNode(
            stage,
            "peer0.org1.example.com",
            Network.CLIENT_MSP,
            net.peerOrg().resolve("peers/peer0.org1.example.com"));
    peer.start();
    PeerCli admin =
        new PeerCli(
            stage.fabricTools(),
            Network.CLIENT_MSP,
            net.peerOrg().resolve("users/Admin@org1.example.com/msp"),
            peer);
    ToolResult join = admin.join(net.genesisBlock());
    assertThat(join.exitCode()).as(join.describe()).isZero();

    Load.bench(stage, net, net.orderers(), 500, Duration.ofMinutes(2));
    long height = net.status(ordo).height();
    assertThat(height).isGreaterThan(2);
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () ->
                assertThat(admin.height(net.channel()))
                    .as("peer channel getinfo: the peer's height, Ordo's being %d", height)
                    .isEqualTo(height));
  }

  @Test
  void ordoBenchAndBlocksVerifyWorkAgainstFabricsOrderer(Stage stage) {
    Network net = Network.on(stage).orderers(FABRIC).build();
    net.startAll();
    net.joinAll();
    OrdererNode fabric = net.awaitLeader(net.orderers());
    ToolResult bench = Load.bench(stage, net, net.orderers(), 1000, Duration.ofMinutes(2));
    assertThat(bench.out()).contains("committed  1000 of 1000");
    long height = net.status(fabric).height();

    List<String> args = new ArrayList<>(List.of("blocks", "verify"));
    args.addAll(net.clientFlags(net.orderers()));
    ToolResult verify = stage.ordoTools().run(args);
    assertThat(verify.exitCode()).as(verify.describe()).isZero();
    assertThat(verify.out())
        .contains("all " + height + " blocks verified (0 to " + (height - 1) + ")");
  }

  /**
   * The block's JSON without metadata slot 0 (SIGNATURES), which configtxlator leaves as base64 and
   * {@code ordo blocks inspect} decodes.
   */
  private static JsonNode withoutSignaturesSlot(JsonNode block) {
    JsonNode copy = block.deepCopy();
    ((ArrayNode) copy.at("/metadata/metadata")).remove(0);
    return copy;
  }

  /** The MSP of the first signature in the block's SIGNATURES metadata. */
  private static String signer(Block block) throws IOException {
    Metadata signatures = Metadata.parseFrom(block.getMetadata().getMetadata(0));
    SignatureHeader header =
        SignatureHeader.parseFrom(signatures.getSignatures(0).getSignatureHeader());
    return SerializedIdentity.parseFrom(header.getCreator()).getMspid();
  }

  /** Block {@code number} as {@code ordo blocks fetch} writes it. */
  private static Path ordoFetch(Stage stage, Network net, OrdererNode node, long number) {
    Path dir = stage.dir("fetched/ordo-" + number);
    List<String> args = new ArrayList<>(List.of("blocks", "fetch"));
    args.addAll(net.clientFlags(List.of(node)));
    args.addAll(
        List.of(
            "--from",
            Long.toString(number),
            "--to",
            Long.toString(number),
            "--output",
            dir.toString()));
    stage.ordoTools().run(args).requireSuccess();
    return dir.resolve("block-" + number + ".pb");
  }
}

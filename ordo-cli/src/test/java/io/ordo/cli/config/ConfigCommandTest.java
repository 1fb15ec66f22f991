package io.ordo.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ordo.cli.Cli;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.network.NetworkFile;
import io.ordo.cli.network.NodeProcesses;
import io.ordo.cli.testing.Args;
import io.ordo.cli.testing.LocalNetworks;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ordo config}, {@code ordo consenter} and {@code ordo orderer-endpoints} against a running
 * 3-node Ordo network ({@code ordo network up --detach}): each change lands in a config block the
 * nodes apply, and each wrong input is one line with nothing submitted (the channel's sequence does
 * not move).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigCommandTest {
  @TempDir static Path dir;
  private static NetworkFile network;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @BeforeAll
  static void up() {
    network = LocalNetworks.upDetached(dir, 3, 1);
  }

  @AfterAll
  static void down() {
    LocalNetworks.stopWhateverRuns(dir);
  }

  private static Cli.Result ordo(String... args) {
    return Cli.run(Args.of(args).and("--network", dir.toString()).array());
  }

  private static JsonNode show(String path) throws IOException {
    Cli.Result r = path == null ? ordo("config", "show") : ordo("config", "show", "--path", path);
    assertThat(r.exit()).as(r.err()).isZero();
    return MAPPER.readTree(r.out());
  }

  private static long sequence() throws IOException {
    return show(null).path("sequence").asLong();
  }

  private static Path crypto(String relative) {
    return dir.resolve("crypto/ordererOrganizations/example.com").resolve(relative);
  }

  private static void assertRefused(Cli.Result r, long sequenceBefore, String... phrases)
      throws IOException {
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.errLines()).as(r.err()).hasSize(1);
    assertThat(r.err()).contains(phrases).contains("nothing submitted");
    assertThat(sequence()).isEqualTo(sequenceBefore);
  }

  @Test
  @Order(1)
  void showPrintsTheConfigAsConfigtxlatorAndOnePartOfIt() throws IOException {
    JsonNode config = show(null);
    assertThat(config.at("/channel_group/groups/Orderer/values/ConsensusType/value/type").asText())
        .isEqualTo("etcdraft");
    assertThat(
            config.at(
                "/channel_group/groups/Orderer/values/ConsensusType/value/metadata/consenters"))
        .hasSize(3);

    JsonNode batch = show("/Channel/Orderer/BatchSize");
    assertThat(batch.at("/value/max_message_count").asInt()).isEqualTo(500);
    assertThat(batch.path("mod_policy").asText()).isEqualTo("Admins");

    Cli.Result wrong = ordo("config", "show", "--path", "/Channel/Orderer/BatchSise");
    assertThat(wrong.exit()).isEqualTo(ExitCodes.ERROR);
    assertThat(wrong.err()).contains("no group, value or policy 'BatchSise'", "BatchSize");
  }

  @Test
  @Order(2)
  void aBatchSizeChangeLandsInAConfigBlockThatTheNodesApply(@TempDir Path out) throws IOException {
    long before = sequence();

    Cli.Result r =
        ordo("config", "update", "--batch-size", "max=2,preferred=512KB", "--batch-timeout", "1s");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("channel mychannel, config block 0 (sequence " + before + "):")
        .contains("/Channel/Orderer/BatchSize max_message_count: 500 -> 2")
        .contains("/Channel/Orderer/BatchSize preferred_max_bytes: 2097152 -> 524288")
        .contains("/Channel/Orderer/BatchTimeout timeout: 2s -> 1s")
        .containsPattern(
            "config block \\d+ of channel mychannel written \\(sequence " + (before + 1));
    assertThat(show("/Channel/Orderer/BatchSize").at("/value/max_message_count").asInt())
        .isEqualTo(2);
    assertThat(show("/Channel/Orderer/BatchSize").at("/value/preferred_max_bytes").asInt())
        .isEqualTo(512 * 1024);

    // the orderer cuts blocks of at most 2 envelopes from now on
    Cli.Result bench = ordo("bench", "--tx", "12", "--warmup", "0", "--timeout", "1m");
    assertThat(bench.exit()).as(bench.err()).isZero();
    Cli.Result fetch =
        ordo(
            "blocks",
            "fetch",
            "--from",
            "0",
            "--to",
            String.valueOf(height() - 1),
            "--output",
            out.toString());
    assertThat(fetch.exit()).as(fetch.err()).isZero();
    long configBlock = -1;
    int afterConfig = 0;
    int fullBlocks = 0;
    try (var files = Files.list(out)) {
      for (Path f : files.sorted().toList()) {
        Block b = Block.parseFrom(Files.readAllBytes(f));
        if (io.ordo.fabric.block.ConfigBlocks.isConfigBlock(b)) {
          configBlock = Math.max(configBlock, b.getHeader().getNumber());
        }
      }
    }
    try (var files = Files.list(out)) {
      for (Path f : files.toList()) {
        Block b = Block.parseFrom(Files.readAllBytes(f));
        if (b.getHeader().getNumber() > configBlock) {
          assertThat(b.getData().getDataCount()).isLessThanOrEqualTo(2);
          afterConfig += b.getData().getDataCount();
          fullBlocks += b.getData().getDataCount() == 2 ? 1 : 0;
        }
      }
    }
    assertThat(afterConfig).isEqualTo(12);
    assertThat(fullBlocks).as("blocks cut at the new MaxMessageCount").isPositive();
  }

  private static long height() throws IOException {
    Cli.Result r = ordo("channel", "list", "--node", "orderer1", "--channelID", "mychannel");
    assertThat(r.exit()).as(r.err()).isZero();
    return MAPPER.readTree(r.out().substring(r.out().indexOf('{'))).path("height").asLong();
  }

  @Test
  @Order(3)
  void wrongFlagValuesAreOneLineEachAndChangeNothing() throws IOException {
    long before = sequence();
    String[][] cases = {
      {"--batch-size", "max=0", "--batch-size max: '0' is not a positive number"},
      {"--batch-size", "max=5,bites=2MB", "--batch-size: unknown key 'bites'"},
      {"--batch-size", "bytes=lots", "not a byte size: 'lots'"},
      {"--batch-timeout", "soon", "--batch-timeout: 'soon' is not a positive duration"},
      {"--etcdraft-options", "tick=0s", "--etcdraft-options tick: '0s' is not a positive duration"},
      {"--etcdraft-options", "speed=3", "--etcdraft-options: unknown key 'speed'"},
    };
    for (String[] c : cases) {
      Cli.Result r = ordo("config", "update", c[0], c[1]);
      assertThat(r.exit()).as(String.join(" ", c) + ": " + r.err()).isEqualTo(ExitCodes.ERROR);
      assertThat(r.errLines()).as(r.err()).hasSize(1);
      assertThat(r.err()).contains(c[2]);
    }
    Cli.Result nothing = ordo("config", "update");
    assertThat(nothing.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(nothing.err()).contains("nothing to change");
    Cli.Result same = ordo("config", "update", "--batch-timeout", "1s");
    assertThat(same.exit()).isEqualTo(ExitCodes.ERROR);
    assertThat(same.err()).contains("nothing to change: channel mychannel already has this config");
    assertThat(sequence()).isEqualTo(before);
  }

  @Test
  @Order(3)
  void tooFewSignaturesNamesThePolicyAndTheMissingOrganization() throws IOException {
    long before = sequence();
    Path user = Path.of(dir.resolve(network.client().mspDir()).toString());

    Cli.Result r =
        ordo("config", "update", "--batch-size", "max=3", "--sign-with", user + ":Org1MSP");

    assertRefused(
        r,
        before,
        "not enough signatures",
        "policy /Channel/Orderer/Admins",
        "MAJORITY Admins needs 1 of 1 organizations",
        "missing 1 more Admins signature from OrdererOrg (OrdererMSP)");
  }

  @Test
  @Order(4)
  void theUpdateWrittenUnsignedIsSignedApartAndSubmitted(@TempDir Path work) throws IOException {
    long before = sequence();
    Path update = work.resolve("update.pb");
    Path user = dir.resolve(network.client().mspDir());

    Cli.Result written =
        ordo(
            "config",
            "update",
            "--batch-size",
            "max=4",
            "--sign-with",
            user + ":Org1MSP",
            "--output",
            update.toString());
    assertThat(written.exit()).as(written.err()).isZero();
    assertThat(written.out()).contains("wrote " + update, "still needed", "OrdererOrg");
    assertThat(sequence()).isEqualTo(before);

    Cli.Result unsigned = ordo("config", "submit", update.toString());
    assertRefused(unsigned, before, "not enough signatures", "/Channel/Orderer/Admins");

    Cli.Result signed =
        Cli.run(
            "config",
            "sign",
            update.toString(),
            "--msp",
            crypto("users/Admin@example.com/msp").toString(),
            "--mspid",
            "OrdererMSP");
    assertThat(signed.exit()).as(signed.err()).isZero();
    assertThat(signed.out()).contains("signed by OrdererMSP", "has 2 signatures");

    Cli.Result submitted = ordo("config", "submit", update.toString());
    assertThat(submitted.exit()).as(submitted.err()).isZero();
    assertThat(submitted.out()).containsPattern("config block \\d+ of channel mychannel written");
    assertThat(show("/Channel/Orderer/BatchSize").at("/value/max_message_count").asInt())
        .isEqualTo(4);

    // the same file again: computed from a config that is gone
    Cli.Result again = ordo("config", "submit", update.toString());
    assertRefused(again, before + 1, "computed from another config");
  }

  @Test
  @Order(5)
  void anEditedConfigReadAtAnOlderSequenceIsStale(@TempDir Path work) throws IOException {
    long before = sequence();
    ObjectNode config = (ObjectNode) show(null);
    config.put("sequence", String.valueOf(before - 1));
    ((ObjectNode) config.at("/channel_group/groups/Orderer/values/BatchSize/value"))
        .put("max_message_count", 9);
    Path file = work.resolve("config.json");
    Files.writeString(file, config.toString());

    Cli.Result r = ordo("config", "update", "--edit", file.toString());

    assertRefused(r, before, "was read at sequence " + (before - 1), "now at sequence " + before);
  }

  @Test
  @Order(6)
  void twoConsenterChangesAtOnceAreRefused(@TempDir Path work) throws IOException {
    long before = sequence();
    ObjectNode config = (ObjectNode) show(null);
    var consenters =
        (com.fasterxml.jackson.databind.node.ArrayNode)
            config.at(
                "/channel_group/groups/Orderer/values/ConsensusType/value/metadata/consenters");
    consenters.remove(2);
    consenters.remove(1);
    Path file = work.resolve("config.json");
    Files.writeString(file, config.toString());

    Cli.Result r = ordo("config", "update", "--edit", file.toString());

    assertRefused(r, before, "two consenter changes at once");
  }

  @Test
  @Order(7)
  void aConsenterOfAnUnknownCaIsRefused() throws IOException {
    long before = sequence();
    // an orderer TLS certificate of Fabric's recorded network: another CA than this channel's
    Path foreign =
        io.ordo.cli.TestData.network()
            .resolve(
                "crypto/ordererOrganizations/example.com/orderers/orderer1.example.com/tls/server.crt");

    Cli.Result r =
        ordo(
            "consenter",
            "add",
            "--host",
            "127.0.0.1",
            "--port",
            String.valueOf(freePort()),
            "--client-tls-cert",
            foreign.toString(),
            "--server-tls-cert",
            foreign.toString());

    assertRefused(r, before, "does not verify", "unknown authority");
  }

  @Test
  @Order(8)
  void anUnreachableNewConsenterIsRefused() throws IOException {
    long before = sequence();
    // issued by the channel's TLS CA, but nothing listens on its port
    Path cert = crypto("users/Admin@example.com/tls/client.crt");
    int port = freePort();

    Cli.Result r =
        ordo(
            "consenter",
            "add",
            "--host",
            "127.0.0.1",
            "--port",
            String.valueOf(port),
            "--client-tls-cert",
            cert.toString(),
            "--server-tls-cert",
            cert.toString());

    assertRefused(r, before, "the new consenter 127.0.0.1:" + port + " cannot be reached");
  }

  @Test
  @Order(9)
  void aConsenterIsRemovedAndAddedBackWithItsOrdererEndpoint() throws IOException {
    NetworkFile.Node third = network.nodes().get(2);
    String host = third.cluster().split(":")[0];
    String port = third.cluster().split(":")[1];
    Path cert = crypto("orderers/orderer3.example.com/tls/server.crt");
    long before = sequence();

    Cli.Result removed =
        ordo(
            "consenter",
            "remove",
            "--host",
            host,
            "--port",
            port,
            "--orderer-endpoint",
            third.client());

    assertThat(removed.exit()).as(removed.err()).isZero();
    assertThat(removed.out()).contains("consenters[" + host + ":" + port + "]");
    JsonNode raft = show("/Channel/Orderer/ConsensusType").at("/value/metadata/consenters");
    assertThat(raft).hasSize(2);
    assertThat(show("/Channel/Orderer/OrdererOrg/Endpoints").at("/value/addresses").toString())
        .doesNotContain(third.client());

    Cli.Result added =
        ordo(
            "consenter",
            "add",
            "--host",
            host,
            "--port",
            port,
            "--client-tls-cert",
            cert.toString(),
            "--server-tls-cert",
            cert.toString(),
            "--orderer-endpoint",
            third.client());

    assertThat(added.exit()).as(added.err()).isZero();
    assertThat(show("/Channel/Orderer/ConsensusType").at("/value/metadata/consenters")).hasSize(3);
    assertThat(show("/Channel/Orderer/OrdererOrg/Endpoints").at("/value/addresses").toString())
        .contains(third.client());
    assertThat(sequence()).isEqualTo(before + 2);
  }

  @Test
  @Order(10)
  void aConsenterIsRotatedToOtherCertificatesAndBackAndTheEndpointsAreSet() throws IOException {
    NetworkFile.Node third = network.nodes().get(2);
    String host = third.cluster().split(":")[0];
    String port = third.cluster().split(":")[1];
    Path own = crypto("orderers/orderer3.example.com/tls/server.crt");
    // another certificate of the channel's TLS CA
    Path other = crypto("users/Admin@example.com/tls/client.crt");
    long before = sequence();

    for (Path cert : List.of(other, own)) {
      Cli.Result rotated =
          ordo(
              "consenter",
              "rotate",
              "--host",
              host,
              "--port",
              port,
              "--client-tls-cert",
              cert.toString(),
              "--server-tls-cert",
              cert.toString());
      assertThat(rotated.exit()).as(rotated.err()).isZero();
      assertThat(rotated.out())
          .contains("consenters[" + host + ":" + port + "].client_tls_cert: <");
      JsonNode consenter =
          show("/Channel/Orderer/ConsensusType").at("/value/metadata/consenters/2");
      assertThat(java.util.Base64.getDecoder().decode(consenter.path("client_tls_cert").asText()))
          .isEqualTo(Files.readAllBytes(cert));
    }

    List<String> endpoints = network.nodes().stream().map(NetworkFile.Node::client).toList();
    List<String> reversed = new java.util.ArrayList<>(endpoints);
    java.util.Collections.reverse(reversed);
    Cli.Result set = ordo("orderer-endpoints", "set", String.join(",", reversed));
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(set.out()).contains("/Channel/Orderer/OrdererOrg/Endpoints addresses:");
    assertThat(show("/Channel/Orderer/OrdererOrg/Endpoints").at("/value/addresses"))
        .extracting(JsonNode::asText)
        .containsExactlyElementsOf(reversed);
    Cli.Result noOrg = ordo("orderer-endpoints", "set", "--org", "Nope", endpoints.getFirst());
    assertThat(noOrg.exit()).isEqualTo(ExitCodes.ERROR);
    assertThat(noOrg.err()).contains("no orderer organization 'Nope'", "OrdererOrg");
    assertThat(sequence()).isEqualTo(before + 3);
  }

  @Test
  @Order(11)
  void aRemovalThatLeavesTooFewConsentersAnsweringIsRefused() throws IOException {
    long before = sequence();
    NodeProcesses processes = new NodeProcesses(dir);
    ProcessHandle second = processes.running("orderer2").orElseThrow();
    NodeProcesses.stop(List.of(second), java.time.Duration.ofSeconds(10));
    NetworkFile.Node third = network.nodes().get(2);

    Cli.Result r =
        ordo(
            "consenter",
            "remove",
            "--host",
            third.cluster().split(":")[0],
            "--port",
            third.cluster().split(":")[1]);

    assertRefused(r, before, "would lose quorum", network.nodes().get(1).cluster());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

package io.ordo.interop;

import static io.ordo.interop.OrdererKind.FABRIC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.configtx.ConfigUpdates;
import io.ordo.fabric.crypto.KeyPairs;
import io.ordo.fabric.crypto.Pem;
import io.ordo.fabric.cryptogen.CertificateAuthority;
import io.ordo.fabric.json.FabricJson;
import io.ordo.fabric.json.FabricJsonEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Channel config updates beside Fabric's tools: Ordo's JSON of a config is configtxlator's {@code
 * proto_decode}, each side's {@code proto_encode} of an edited JSON gives the same config, Ordo's
 * compute_update gives configtxlator's {@code compute_update} (the same bytes, both marshalled
 * deterministically: Go's own marshalling orders map entries at random), and {@code ordo config
 * update} and {@code ordo consenter remove} change the config of a channel run by Fabric's
 * orderers, and {@code ordo consenter add} and {@code rotate} let a channel of Fabric's orderers
 * alone take in a fourth Fabric orderer and a consenter's new TLS certificates.
 */
@InteropTest
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConfigUpdatesBesideFabricTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void jsonBothWaysAndComputeUpdateAreConfigtxlators(Stage stage) throws IOException {
    Network net = Network.on(stage).orderers(FABRIC, FABRIC, FABRIC).genesis(Maker.FABRIC).build();
    Config original =
        ChannelConfigLoader.configOf(Block.parseFrom(Files.readAllBytes(net.genesisBlock())));
    Path dir = stage.dir("configs");
    Path originalPb = write(dir.resolve("original.pb"), original);

    JsonNode fabricJson = configtxlator(stage, "proto_decode", "common.Config", originalPb);
    FabricJson ours = new FabricJson();
    assertThat(ours.config(original)).as("proto_decode of the config").isEqualTo(fabricJson);

    // the edits an operator makes with jq: a batch size, a consenter removed, an endpoint added
    ObjectNode edited = fabricJson.deepCopy();
    ObjectNode orderer = (ObjectNode) edited.at("/channel_group/groups/Orderer");
    ((ObjectNode) orderer.at("/values/BatchSize/value")).put("max_message_count", 77);
    ((ArrayNode) orderer.at("/values/ConsensusType/value/metadata/consenters")).remove(2);
    ((ArrayNode) orderer.at("/groups/OrdererOrg/values/Endpoints/value/addresses"))
        .add("orderer9.example.com:7050");
    Path editedJson = dir.resolve("edited.json");
    Files.writeString(editedJson, edited.toString());

    Config fabricEncoded =
        Config.parseFrom(
            Files.readAllBytes(
                configtxlatorToFile(stage, "proto_encode", "common.Config", editedJson, dir)));
    Config ordoEncoded = new FabricJsonEncoder().config(edited);
    // compared decoded: a config value's bytes hold maps (capabilities) that Go marshals in any
    // order
    assertThat(ours.config(ordoEncoded))
        .as("proto_encode of the edited JSON")
        .isEqualTo(ours.config(fabricEncoded));
    assertThat(ours.config(ordoEncoded)).isEqualTo(edited);

    Path updatedPb = write(dir.resolve("updated.pb"), ordoEncoded);
    Path fabricUpdate = dir.resolve("fabric-update.pb");
    stage
        .fabricTools()
        .configtxlator(
            List.of(
                "compute_update",
                "--channel_id",
                net.channel(),
                "--original",
                originalPb.toString(),
                "--updated",
                updatedPb.toString(),
                "--output",
                fabricUpdate.toString()))
        .requireSuccess();
    ConfigUpdate fromFabric = ConfigUpdate.parseFrom(Files.readAllBytes(fabricUpdate));
    ConfigUpdate fromOrdo =
        ConfigUpdates.compute(net.channel(), original, ordoEncoded).orElseThrow();
    assertThat(deterministic(fromOrdo))
        .as("compute_update of the same two configs")
        .isEqualTo(deterministic(fromFabric));

    JsonNode updateJson = configtxlator(stage, "proto_decode", "common.ConfigUpdate", fabricUpdate);
    assertThat(ours.configUpdateJson(fromFabric))
        .as("proto_decode of the update")
        .isEqualTo(updateJson);
  }

  @Test
  void ordoConfigUpdateAndConsenterRemoveChangeAChannelOfFabricsOrderers(Stage stage)
      throws IOException {
    Network net = Network.on(stage).orderers(FABRIC, FABRIC, FABRIC).build();
    net.startAll();
    net.joinAll();
    net.awaitLeader(net.orderers());
    List<String> flags = new ArrayList<>(net.clientFlags(net.orderers()));
    String admin =
        net.ordererOrg().resolve("users/Admin@example.com/msp") + ":" + Network.ORDERER_MSP;

    ToolResult update =
        ordo(stage, flags, "config", "update", "--batch-size", "max=7", "--sign-with", admin);
    assertThat(update.out())
        .containsPattern("config block 1 of channel \\S+ written \\(sequence 1\\)");
    JsonNode batch =
        JSON.readTree(
            ordo(stage, flags, "config", "show", "--path", "/Channel/Orderer/BatchSize").out());
    assertThat(batch.at("/value/max_message_count").asInt()).isEqualTo(7);

    JsonNode consenters =
        JSON.readTree(
                ordo(stage, flags, "config", "show", "--path", "/Channel/Orderer/ConsensusType")
                    .out())
            .at("/value/metadata/consenters");
    JsonNode thirdConsenter = consenters.get(2);
    net.awaitAllActive(net.orderers());
    ToolResult removed =
        ordo(
            stage,
            net.clientFlags(List.of(net.orderer(1), net.orderer(2))),
            "consenter",
            "remove",
            "--host",
            thirdConsenter.path("host").asText(),
            "--port",
            thirdConsenter.path("port").asText(),
            "--sign-with",
            admin);
    assertThat(removed.out()).contains("config block 2 of channel");
    JsonNode after =
        JSON.readTree(
                ordo(
                        stage,
                        net.clientFlags(List.of(net.orderer(1))),
                        "config",
                        "show",
                        "--path",
                        "/Channel/Orderer/ConsensusType")
                    .out())
            .at("/value/metadata/consenters");
    assertThat(after).hasSize(2);
    assertThat(after.toString()).doesNotContain(":" + thirdConsenter.path("port").asText() + "\"");
  }

  @Test
  void aFourthFabricOrdererIsAddedAndAConsentersCertificatesRotatedWithOrdoAlone(Stage stage)
      throws IOException {
    Network net = Network.on(stage).orderers(FABRIC, FABRIC, FABRIC).spares(FABRIC).build();
    net.startAll();
    net.joinAll();
    net.awaitLeader(net.orderers());
    String admin =
        net.ordererOrg().resolve("users/Admin@example.com/msp") + ":" + Network.ORDERER_MSP;
    List<OrdererNode> members = new ArrayList<>(net.orderers());
    net.awaitAllActive(members);

    // a fourth Fabric orderer: started holding no channel, added, joined with the config block
    OrdererNode fourth = net.orderer(4);
    fourth.start();
    Path fourthCert = fourth.cryptoDir().resolve("tls/server.crt");
    ToolResult added =
        ordo(
            stage,
            net.clientFlags(members),
            "consenter",
            "add",
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(fourth.ports().cluster()),
            "--client-tls-cert",
            fourthCert.toString(),
            "--server-tls-cert",
            fourthCert.toString(),
            "--orderer-endpoint",
            fourth.clientEndpoint(),
            "--sign-with",
            admin);
    assertThat(added.out()).contains("config block 1 of channel " + net.channel());
    Path join = stage.dir("join");
    ordo(
        stage,
        net.clientFlags(members),
        "blocks",
        "fetch",
        "--from",
        "1",
        "--to",
        "1",
        "--output",
        join.toString());
    ToolResult joined = net.osnadmin().join(fourth, net.channel(), join.resolve("block-1.pb"));
    assertThat(joined.out()).as(joined.describe()).startsWith("Status: 201");
    members.add(fourth);
    // caught up and counted active by the leader before clients use it
    net.awaitSameHeight(members, Duration.ofMinutes(2));
    net.awaitAllActive(members);
    Load.bench(stage, net, members, 200, Duration.ofMinutes(2));
    net.awaitSameHeight(members, Duration.ofMinutes(2));

    // the third's TLS key and certificate rotated: new ones of the same TLS CA in the config
    // first, then on the node, restarted
    OrdererNode third = net.orderer(3);
    Path rotated = stage.dir("rotated-tls");
    issueTls(net, third, rotated);
    ToolResult rotation =
        ordo(
            stage,
            net.clientFlags(members),
            "consenter",
            "rotate",
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(third.ports().cluster()),
            "--client-tls-cert",
            rotated.resolve("server.crt").toString(),
            "--server-tls-cert",
            rotated.resolve("server.crt").toString(),
            "--sign-with",
            admin);
    assertThat(rotation.out())
        .containsPattern(
            "config block \\d+ of channel " + net.channel() + " written \\(sequence 2\\)");
    third.stop();
    for (String file : List.of("server.crt", "server.key")) {
      Files.copy(
          rotated.resolve(file),
          third.cryptoDir().resolve("tls").resolve(file),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    third.start();

    // without the first orderer, three of four consenters are a quorum only with the third
    net.orderer(1).stop();
    List<OrdererNode> left = List.of(net.orderer(2), third, fourth);
    net.awaitAllActive(left);
    net.awaitSameHeight(left, Duration.ofMinutes(2));
    Load.bench(stage, net, left, 200, Duration.ofMinutes(2));
    long height = net.awaitSameHeight(left, Duration.ofMinutes(2));
    assertThat(height).isGreaterThan(4);
    JsonNode consenters =
        JSON.readTree(
                ordo(
                        stage,
                        net.clientFlags(left),
                        "config",
                        "show",
                        "--path",
                        "/Channel/Orderer/ConsensusType")
                    .out())
            .at("/value/metadata/consenters");
    assertThat(consenters).hasSize(4);
    assertThat(consenters.get(2).path("client_tls_cert").asText())
        .isEqualTo(
            java.util.Base64.getEncoder()
                .encodeToString(Files.readAllBytes(rotated.resolve("server.crt"))));
  }

  /**
   * A new TLS key and certificate for {@code node} in {@code dir}, issued by the orderer org's TLS
   * CA that cryptogen wrote, with the names cryptogen gives it.
   */
  private static void issueTls(Network net, OrdererNode node, Path dir) throws IOException {
    Path tlsca = net.ordererOrg().resolve("tlsca");
    SecureRandom random = new SecureRandom();
    CertificateAuthority ca =
        CertificateAuthority.of(
            Pem.certificate(Files.readAllBytes(net.tlsCa())),
            Pem.privateKey(Files.readAllBytes(tlsca.resolve("priv_sk"))),
            random);
    KeyPair keys = KeyPairs.p256(random);
    String cn = node.name();
    X509Certificate cert =
        ca.issueTls(
            cn,
            List.of(cn, "localhost", "127.0.0.1"),
            keys.getPublic(),
            Instant.now().minus(Duration.ofMinutes(5)),
            Instant.now().plus(Duration.ofDays(30)));
    Files.write(dir.resolve("server.crt"), Pem.encode(cert));
    Files.write(dir.resolve("server.key"), Pem.encode(keys.getPrivate()));
  }

  @Test
  void aChangeThatNeedsTwoOrdererOrgsAdminsNamesTheMissingOrgUntilBothHaveSigned(Stage stage)
      throws IOException {
    Network net =
        Network.on(stage)
            .orderers(FABRIC, FABRIC, FABRIC)
            .options(ConfigtxYaml.Options.defaults().withSecondOrdererOrg())
            .build();
    net.startAll();
    net.joinAll();
    net.awaitLeader(net.orderers());
    List<String> flags = net.clientFlags(net.orderers());
    String first =
        net.ordererOrg().resolve("users/Admin@example.com/msp") + ":" + Network.ORDERER_MSP;
    Path secondMsp =
        net.secondOrdererOrg().resolve("users/Admin@" + CryptoConfigYaml.SECOND_DOMAIN + "/msp");
    String second = secondMsp + ":OrdererMSP2";
    String missing = "missing 1 more Admins signature from OrdererOrg2 (OrdererMSP2)";

    List<String> oneAdmin =
        new ArrayList<>(List.of("config", "update", "--batch-size", "max=9", "--sign-with", first));
    oneAdmin.addAll(flags);
    ToolResult refused = stage.ordoTools().run(oneAdmin);
    assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(1);
    assertThat(refused.err()).contains("/Channel/Orderer/Admins", missing, "nothing submitted");
    assertThat(JSON.readTree(ordo(stage, flags, "config", "show").out()).path("sequence").asText())
        .as("the channel's config sequence after the refusal")
        .isEqualTo("0");

    ToolResult both =
        ordo(
            stage,
            flags,
            "config",
            "update",
            "--batch-size",
            "max=9",
            "--sign-with",
            first,
            "--sign-with",
            second);
    assertThat(both.out()).contains("config block 1 of channel " + net.channel());

    // the split: the first org's admin signs here, the second "on its own machine"
    Path file = stage.dir("split").resolve("update.pb");
    ToolResult written =
        ordo(
            stage,
            flags,
            "config",
            "update",
            "--batch-timeout",
            "1s",
            "--sign-with",
            first,
            "--output",
            file.toString());
    assertThat(written.out() + written.err()).contains(missing);
    List<String> submit = new ArrayList<>(List.of("config", "submit", file.toString()));
    submit.addAll(flags);
    ToolResult early = stage.ordoTools().run(submit);
    assertThat(early.exitCode()).as(early.describe()).isEqualTo(1);
    assertThat(early.err()).contains(missing, "nothing submitted");
    ordo(
        stage,
        List.of(),
        "config",
        "sign",
        file.toString(),
        "--msp",
        secondMsp.toString(),
        "--mspid",
        "OrdererMSP2");
    assertThat(ordo(stage, flags, "config", "submit", file.toString()).out())
        .contains("config block 2 of channel " + net.channel());
    JsonNode orderer =
        JSON.readTree(ordo(stage, flags, "config", "show", "--path", "/Channel/Orderer").out());
    assertThat(orderer.at("/values/BatchSize/value/max_message_count").asInt()).isEqualTo(9);
    assertThat(orderer.at("/values/BatchTimeout/value/timeout").asText()).isEqualTo("1s");
    assertThat(orderer.path("groups").has("OrdererOrg2")).isTrue();
  }

  private static ToolResult ordo(Stage stage, List<String> flags, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(flags);
    return stage.ordoTools().run(all).requireSuccess();
  }

  private static JsonNode configtxlator(Stage stage, String verb, String type, Path input)
      throws IOException {
    ToolResult r =
        stage
            .fabricTools()
            .configtxlator(List.of(verb, "--type", type, "--input", input.toString()))
            .requireSuccess();
    return JSON.readTree(r.out());
  }

  private static Path configtxlatorToFile(
      Stage stage, String verb, String type, Path input, Path dir) {
    Path out = dir.resolve(verb + "-" + input.getFileName() + ".pb");
    stage
        .fabricTools()
        .configtxlator(
            List.of(verb, "--type", type, "--input", input.toString(), "--output", out.toString()))
        .requireSuccess();
    return out;
  }

  private static Path write(Path file, Message m) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, m.toByteArray());
    return file;
  }

  /** The message marshalled with map entries in key order, as Go's deterministic option does. */
  private static byte[] deterministic(Message m) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.useDeterministicSerialization();
    m.writeTo(out);
    out.flush();
    return bytes.toByteArray();
  }
}

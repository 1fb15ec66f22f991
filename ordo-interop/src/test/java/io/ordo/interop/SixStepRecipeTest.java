package io.ordo.interop;

import static io.ordo.interop.OrdererKind.FABRIC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.configtx.ConfigUpdateEnvelopes;
import io.ordo.fabric.json.FabricJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The same change of a channel's config made by Fabric's six-step recipe with Fabric's binaries
 * ({@link FabricRecipe}) and by Ordo's commands, on three channels of three Fabric orderers made
 * from one configtx.yaml (so the same config under three names, which makes the comparison exact):
 * Fabric's recipe on the first, {@code ordo config update}/{@code ordo consenter remove} with
 * {@code --sign-with} on the second, {@code --output} then a signature then {@code ordo config
 * submit} on the third. After each change the three config blocks hold the same config, and each
 * block's update has the read and write sets of configtxlator's {@code compute_update}.
 */
@InteropTest
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SixStepRecipeTest {
  private static final String RECIPE = "recipe";
  private static final String ONE_COMMAND = "one-command";
  private static final String SPLIT = "split";

  @Test
  void ordoWritesTheConfigBlocksOfFabricsSixStepRecipe(Stage stage) throws IOException {
    Network net = Network.on(stage).orderers(FABRIC, FABRIC, FABRIC).channel(RECIPE).build();
    net.startAll();
    net.joinAll();
    for (String channel : List.of(ONE_COMMAND, SPLIT)) {
      net.joinAll(channel, net.makeChannel(channel));
    }
    for (String channel : List.of(RECIPE, ONE_COMMAND, SPLIT)) {
      net.awaitLeader(net.orderers(), channel);
    }
    Path adminMsp = net.ordererOrg().resolve("users/Admin@example.com/msp");
    String signWith = adminMsp + ":" + Network.ORDERER_MSP;
    PeerCli admin = new PeerCli(stage.fabricTools(), Network.ORDERER_MSP, adminMsp, null);
    FabricRecipe recipe = new FabricRecipe(stage.fabricTools(), admin, net.tlsCa());
    String orderer = net.orderer(1).clientEndpoint();
    Path dir = stage.dir("recipe");
    Map<String, JsonNode> genesis = configs(recipe, dir.resolve("genesis"), orderer);
    assertThat(genesis.values())
        .as("the three channels' genesis configs")
        .allSatisfy(c -> assertThat(c).isEqualTo(genesis.get(RECIPE)));

    // change 1: a batch size and a batch timeout
    FabricRecipe.Result fabricBatch =
        recipe.change(
            dir.resolve("batch"),
            orderer,
            RECIPE,
            config -> {
              ObjectNode values = (ObjectNode) config.at("/channel_group/groups/Orderer/values");
              ((ObjectNode) values.at("/BatchSize/value")).put("max_message_count", 7);
              ((ObjectNode) values.at("/BatchTimeout/value")).put("timeout", "1s");
            });
    List<String> batchFlags = List.of("--batch-size", "max=7", "--batch-timeout", "1s");
    List<String> oneCommand = new ArrayList<>(List.of("config", "update"));
    oneCommand.addAll(batchFlags);
    oneCommand.addAll(List.of("--sign-with", signWith));
    assertThat(ordo(stage, net.clientFlags(net.orderers(), ONE_COMMAND), oneCommand).out())
        .contains("config block 1 of channel " + ONE_COMMAND);
    Path batchFile = dir.resolve("batch-update.pb");
    List<String> unsigned = new ArrayList<>(List.of("config", "update"));
    unsigned.addAll(batchFlags);
    unsigned.addAll(List.of("--output", batchFile.toString()));
    ordo(stage, net.clientFlags(net.orderers(), SPLIT), unsigned);
    ordo(
        stage,
        List.of(),
        List.of(
            "config",
            "sign",
            batchFile.toString(),
            "--msp",
            adminMsp.toString(),
            "--mspid",
            Network.ORDERER_MSP));
    assertThat(
            ordo(
                    stage,
                    net.clientFlags(net.orderers(), SPLIT),
                    List.of("config", "submit", batchFile.toString()))
                .out())
        .contains("config block 1 of channel " + SPLIT);
    assertSameAsRecipe(recipe, dir.resolve("after-batch"), orderer, fabricBatch, 1);

    // change 2: the third consenter removed, submitted to the two that stay
    OrdererNode third = net.orderer(3);
    List<OrdererNode> staying = List.of(net.orderer(1), net.orderer(2));
    for (String channel : List.of(RECIPE, ONE_COMMAND, SPLIT)) {
      net.awaitAllActive(net.orderers(), channel);
    }
    FabricRecipe.Result fabricRemove =
        recipe.change(
            dir.resolve("remove"), orderer, RECIPE, removeConsenter(third.ports().cluster()));
    List<String> remove =
        List.of(
            "consenter", "remove", "--host", "127.0.0.1", "--port", "" + third.ports().cluster());
    List<String> removeSigned = new ArrayList<>(remove);
    removeSigned.addAll(List.of("--sign-with", signWith));
    assertThat(ordo(stage, net.clientFlags(staying, ONE_COMMAND), removeSigned).out())
        .contains("config block 2 of channel " + ONE_COMMAND);
    // Ordo's unsigned file signed by Fabric's signconfigtx, then submitted by Ordo
    Path removeFile = dir.resolve("remove-update.pb");
    List<String> removeUnsigned = new ArrayList<>(remove);
    removeUnsigned.addAll(List.of("--output", removeFile.toString()));
    ordo(stage, net.clientFlags(staying, SPLIT), removeUnsigned);
    admin.signConfigTx(removeFile).requireSuccess();
    assertThat(
            ordo(
                    stage,
                    net.clientFlags(staying, SPLIT),
                    List.of("config", "submit", removeFile.toString()))
                .out())
        .contains("config block 2 of channel " + SPLIT);
    assertSameAsRecipe(recipe, dir.resolve("after-remove"), orderer, fabricRemove, 2);
  }

  /** The JSON edit that takes the consenter on {@code clusterPort} out of the etcdraft set. */
  private static Consumer<ObjectNode> removeConsenter(int clusterPort) {
    return config -> {
      ArrayNode consenters =
          (ArrayNode)
              config.at(
                  "/channel_group/groups/Orderer/values/ConsensusType/value/metadata/consenters");
      for (int i = 0; i < consenters.size(); i++) {
        if (consenters.get(i).path("port").asInt() == clusterPort) {
          consenters.remove(i);
          return;
        }
      }
      throw new IllegalStateException("no consenter on port " + clusterPort + ": " + consenters);
    };
  }

  /**
   * The three channels' newest config blocks: each block {@code number}, the same config (the
   * recipe's), and an update with the read and write sets of configtxlator's compute_update.
   */
  private static void assertSameAsRecipe(
      FabricRecipe recipe, Path dir, String orderer, FabricRecipe.Result fabric, long number)
      throws IOException {
    FabricJson json = new FabricJson();
    ObjectNode computed =
        json.configUpdateJson(ConfigUpdate.parseFrom(Files.readAllBytes(fabric.configUpdate())));
    JsonNode recipeConfig = null;
    for (String channel : List.of(RECIPE, ONE_COMMAND, SPLIT)) {
      Block block = recipe.fetchConfigBlock(dir.resolve(channel), orderer, channel);
      assertThat(block.getHeader().getNumber()).as("config block of %s", channel).isEqualTo(number);
      ObjectNode config = json.config(ChannelConfigLoader.configOf(block));
      if (recipeConfig == null) {
        recipeConfig = config;
      }
      assertThat(config)
          .as("config of %s beside the one Fabric's recipe wrote", channel)
          .isEqualTo(recipeConfig);
      ObjectNode update = json.configUpdateJson(lastUpdate(block));
      for (String set : List.of("read_set", "write_set")) {
        assertThat(update.get(set))
            .as("%s of the update in %s's config block %d", set, channel, number)
            .isEqualTo(computed.get(set));
      }
    }
  }

  private static Map<String, JsonNode> configs(FabricRecipe recipe, Path dir, String orderer) {
    Map<String, JsonNode> configs = new LinkedHashMap<>();
    for (String channel : List.of(RECIPE, ONE_COMMAND, SPLIT)) {
      configs.put(channel, config(recipe, dir.resolve(channel), orderer, channel));
    }
    return configs;
  }

  private static JsonNode config(FabricRecipe recipe, Path dir, String orderer, String channel) {
    return new FabricJson()
        .config(ChannelConfigLoader.configOf(recipe.fetchConfigBlock(dir, orderer, channel)));
  }

  /** The ConfigUpdate a config block's config envelope carries as its last update. */
  private static ConfigUpdate lastUpdate(Block block) throws IOException {
    Payload payload =
        Payload.parseFrom(Envelope.parseFrom(block.getData().getData(0)).getPayload());
    return ConfigUpdateEnvelopes.update(
        ConfigEnvelope.parseFrom(payload.getData()).getLastUpdate());
  }

  private static ToolResult ordo(Stage stage, List<String> flags, List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.addAll(flags);
    return stage.ordoTools().run(all).requireSuccess();
  }
}

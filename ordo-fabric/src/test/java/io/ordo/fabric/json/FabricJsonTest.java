package io.ordo.fabric.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ordo.fabric.TestData;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * configtxlator's JSON both ways on Fabric's recorded blocks: decoding, then encoding, is exact.
 */
class FabricJsonTest {
  private final FabricJson json = new FabricJson();
  private final FabricJsonEncoder encoder = new FabricJsonEncoder();
  private final ObjectMapper mapper = new ObjectMapper();

  static Stream<Path> recordedBlocks() throws IOException {
    List<Path> files = new java.util.ArrayList<>();
    for (String dir : List.of("fabric-v3.0.0-network", "fabric-v3.0.0-testdata")) {
      try (Stream<Path> s = Files.list(TestData.path(dir))) {
        s.filter(p -> p.toString().endsWith(".pb") || p.toString().endsWith(".block"))
            .sorted()
            .forEach(files::add);
      }
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(8);
    return files.stream();
  }

  @ParameterizedTest
  @MethodSource("recordedBlocks")
  void aRecordedBlockDecodedAndEncodedIsTheSameBytes(Path file) throws IOException {
    byte[] original = Files.readAllBytes(file);
    Block block = Block.parseFrom(original);

    // through text, as a user's file would be
    String text = json.text(block);
    Block back = encoder.block(mapper.readTree(text));

    assertThat(back.toByteArray()).isEqualTo(original);
  }

  @ParameterizedTest
  @MethodSource("recordedBlocks")
  void theConfigOfAConfigBlockDecodedAndEncodedIsTheSameBytes(Path file) throws IOException {
    Block block = Block.parseFrom(Files.readAllBytes(file));
    Config config;
    try {
      config = ChannelConfigLoader.configOf(block);
    } catch (RuntimeException notAConfigBlock) {
      return;
    }
    String text = json.text(json.config(config));

    Config back = encoder.config(mapper.readTree(text));

    assertThat(back.toByteString()).isEqualTo(config.toByteString());
    ConfigEnvelope envelope = ConfigEnvelope.newBuilder().setConfig(config).build();
    assertThat(encoder.configEnvelope(json.configEnvelope(envelope)).toByteString())
        .isEqualTo(envelope.toByteString());
  }

  @Test
  void anEditedValueInTheJsonEncodesToTheEditedMessage() throws IOException {
    Config config = genesisConfig();
    ObjectNode node = json.config(config);
    ObjectNode batchSize =
        (ObjectNode) node.at("/channel_group/groups/Orderer/values/BatchSize/value");
    assertThat(batchSize.get("max_message_count").asInt()).isPositive();
    batchSize.put("max_message_count", 77);

    Config edited = encoder.config(node);

    BatchSize decoded =
        BatchSize.parseFrom(
            edited
                .getChannelGroup()
                .getGroupsOrThrow("Orderer")
                .getValuesOrThrow("BatchSize")
                .getValue());
    assertThat(decoded.getMaxMessageCount()).isEqualTo(77);
    assertThat(decoded.getAbsoluteMaxBytes()).isPositive();
    // nothing else moved
    Config restored =
        edited.toBuilder()
            .setChannelGroup(
                edited.getChannelGroup().toBuilder()
                    .putGroups("Orderer", config.getChannelGroup().getGroupsOrThrow("Orderer")))
            .build();
    assertThat(restored).isEqualTo(config);
  }

  @Test
  void aValueUnderAKeyOfNoKnownTypeIsTakenAsBase64() throws IOException {
    Config config = genesisConfig();
    ObjectNode node = json.config(config);
    ObjectNode values = (ObjectNode) node.at("/channel_group/values");
    values.putObject("Custom").put("mod_policy", "Admins").put("value", "AQID").put("version", "0");

    Config edited = encoder.config(node);

    assertThat(edited.getChannelGroup().getValuesOrThrow("Custom").getValue().toByteArray())
        .containsExactly(1, 2, 3);
  }

  @Test
  void aFieldTheMessageDoesNotHaveIsRefusedNamingTheMessage() throws IOException {
    ObjectNode node = json.config(genesisConfig());
    ((ObjectNode) node.at("/channel_group/groups/Orderer/values/BatchSize/value"))
        .put("max_mesage_count", 5);

    assertThatThrownBy(() -> encoder.config(node))
        .isInstanceOf(FabricJsonException.class)
        .hasMessageContaining("orderer.BatchSize")
        .hasMessageContaining("max_mesage_count");
  }

  private static Config genesisConfig() throws IOException {
    return ChannelConfigLoader.configOf(
        Block.parseFrom(Files.readAllBytes(TestData.path("fabric-v3.0.0-network/block-0.pb"))));
  }
}

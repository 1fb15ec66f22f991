package io.ordo.fabric.block;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.ordo.fabric.TestData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BlockHashVectorsTest {
  private static final HexFormat HEX = HexFormat.of();

  static Stream<JsonNode> blockVectors() throws Exception {
    JsonNode all =
        new ObjectMapper().readTree(TestData.path("raftpb-and-block-hash.json").toFile());
    List<JsonNode> out = new ArrayList<>();
    all.forEach(
        v -> {
          if (v.get("kind").asText().startsWith("Block")) {
            out.add(v);
          }
        });
    assertThat(out).hasSizeGreaterThanOrEqualTo(3);
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("blockVectors")
  void hashesAndHeaderBytesMatchFabricByteForByte(JsonNode v) {
    byte[] expected = HEX.parseHex(v.get("hex").asText());
    JsonNode value = v.get("value");
    switch (v.get("kind").asText()) {
      case "BlockDataHash" -> {
        BlockData.Builder data = BlockData.newBuilder();
        value.get("data").forEach(d -> data.addData(ByteString.copyFromUtf8(d.asText())));
        assertThat(BlockHashing.dataHash(data.build())).isEqualTo(expected);
      }
      case "BlockHeaderBytes(asn1)" ->
          assertThat(BlockHashing.headerBytes(header(value))).isEqualTo(expected);
      case "BlockHeaderHash" ->
          assertThat(BlockHashing.headerHash(header(value))).isEqualTo(expected);
      default -> throw new AssertionError("unknown kind " + v.get("kind"));
    }
  }

  private static BlockHeader header(JsonNode value) {
    return BlockHeader.newBuilder()
        .setNumber(value.get("number").asLong())
        .setPreviousHash(
            ByteString.copyFrom(
                value.get("previous_hash_utf8").asText().getBytes(StandardCharsets.UTF_8)))
        .setDataHash(ByteString.copyFrom(HEX.parseHex(value.get("data_hash_hex").asText())))
        .build();
  }
}

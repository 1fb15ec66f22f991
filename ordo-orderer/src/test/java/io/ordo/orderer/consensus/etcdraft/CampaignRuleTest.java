package io.ordo.orderer.consensus.etcdraft;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CampaignRuleTest {
  static Path vectorsFile() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      for (Path candidate :
          List.of(
              p.resolve("shared/vectors/campaign-rule.json"),
              p.resolveSibling("shared").resolve("vectors/campaign-rule.json"))) {
        if (Files.exists(candidate)) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException("shared/vectors/campaign-rule.json not found above " + dir);
  }

  @Test
  void campaignerIsVarintOfSha256TailModClusterSizePlusOne() throws IOException {
    JsonNode all = new ObjectMapper().readTree(vectorsFile().toFile());
    List<String> checked = new ArrayList<>();
    for (JsonNode v : all) {
      String channel = v.get("channel").asText();
      assertThat(CampaignRule.varint(channel))
          .as("varint of %s", channel)
          .isEqualTo(Long.parseUnsignedLong(v.get("varint").asText()));
      v.get("campaigner")
          .fields()
          .forEachRemaining(
              e -> {
                int size = Integer.parseInt(e.getKey());
                assertThat(CampaignRule.campaigner(channel, size))
                    .as("campaigner of %s among %d", channel, size)
                    .isEqualTo(e.getValue().asLong());
                checked.add(channel + "/" + size);
              });
    }
    assertThat(checked).hasSizeGreaterThanOrEqualTo(20);
  }
}

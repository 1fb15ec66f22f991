package io.ordo.orderer.consensus.etcdraft;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordo.orderer.testing.TestData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CampaignRuleTest {
  @Test
  void campaignerIsVarintOfSha256TailModClusterSizePlusOne() throws IOException {
    JsonNode all = new ObjectMapper().readTree(TestData.path("campaign-rule.json").toFile());
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

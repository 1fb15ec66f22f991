package io.ordo.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One channel as the participation API lists it ({@code osnadmin channel list --channelID}).
 *
 * @param status {@code active}, {@code onboarding}, {@code failed}, ...
 * @param consensusRelation {@code consenter} or {@code follower}
 */
record ChannelStatus(String name, String status, String consensusRelation, long height) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** From osnadmin's output: a {@code Status: 200} line, then the JSON body. */
  static ChannelStatus parse(String osnadminOutput) {
    int brace = osnadminOutput.indexOf('{');
    if (!osnadminOutput.startsWith("Status: 200") || brace < 0) {
      throw new IllegalStateException("not a channel's status: " + osnadminOutput);
    }
    try {
      JsonNode n = JSON.readTree(osnadminOutput.substring(brace));
      return new ChannelStatus(
          n.path("name").asText(),
          n.path("status").asText(),
          n.path("consensusRelation").asText(),
          n.path("height").asLong());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + osnadminOutput, e);
    }
  }
}

package io.ordo.fabric.configtx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelIdsTest {
  @ParameterizedTest
  @ValueSource(strings = {"mychannel", "a", "a.b-c", "ch1", "z9.-"})
  void fabricsNamesAreValid(String id) {
    assertThat(ChannelIds.problem(id)).isEmpty();
    assertThat(ChannelIds.requireValid(id)).isEqualTo(id);
  }

  static List<String> illegalIds() {
    return List.of(
        "../evil", // hostile input, never opened
        "/abs/path",
        "UPPER",
        "a/b",
        "1abc",
        ".hidden",
        "-x",
        "a b",
        "a_b");
  }

  @ParameterizedTest
  @MethodSource("illegalIds")
  void anythingElseContainsIllegalCharacters(String id) {
    assertThat(ChannelIds.problem(id)).hasValue("'" + id + "' contains illegal characters");
    assertThatThrownBy(() -> ChannelIds.requireValid(id))
        .isInstanceOf(ChannelIds.InvalidChannelIdException.class)
        .hasMessage("bad channel ID: '" + id + "' contains illegal characters");
  }

  @Test
  void emptyAndOverlongAreRefusedWithFabricsWords() {
    assertThat(ChannelIds.problem("")).hasValue("channel ID illegal, cannot be empty");
    assertThat(ChannelIds.problem("a".repeat(249))).isEmpty();
    assertThat(ChannelIds.problem("a".repeat(250)))
        .hasValue("channel ID illegal, cannot be longer than 249");
  }

  @Test
  void controlCharactersAreEscapedAndLongIdsShortenedInTheMessage() {
    assertThat(ChannelIds.problem("a\nb")).hasValue("'a\\x0ab' contains illegal characters");
    String longId = "A".repeat(200);
    assertThat(ChannelIds.problem(longId))
        .hasValue("'" + "A".repeat(80) + "...' contains illegal characters");
  }
}

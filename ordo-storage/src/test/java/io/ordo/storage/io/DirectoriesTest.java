package io.ordo.storage.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DirectoriesTest {
  private final Path root = Path.of("ledger", "chains");

  @Test
  void aPlainNameIsTheEntryInsideTheRoot() {
    assertThat(Directories.child(root, "mychannel")).isEqualTo(root.resolve("mychannel"));
    assertThat(Directories.child(root, "my.channel-2")).isEqualTo(root.resolve("my.channel-2"));
  }

  static List<String> namesLeavingTheRoot() {
    return List.of(
        "",
        ".",
        "..", // hostile input, never opened
        "../evil", // hostile input, never opened
        "../chains/mychannel", // hostile input, never opened
        "a/b",
        "/etc",
        "a\\b",
        "x\0y");
  }

  @ParameterizedTest
  @MethodSource("namesLeavingTheRoot")
  void aNameThatWouldLeaveTheRootIsRefused(String name) {
    assertThatThrownBy(() -> Directories.child(root, name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a single folder name inside " + root);
  }
}

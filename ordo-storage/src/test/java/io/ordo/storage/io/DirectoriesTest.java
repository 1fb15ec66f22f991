package io.ordo.storage.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DirectoriesTest {
  private final Path root = Path.of("ledger", "chains");

  @Test
  void aPlainNameIsTheEntryInsideTheRoot() {
    assertThat(Directories.child(root, "mychannel")).isEqualTo(root.resolve("mychannel"));
    assertThat(Directories.child(root, "my.channel-2")).isEqualTo(root.resolve("my.channel-2"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", ".", "..", "../evil", "../chains/mychannel", "a/b", "/etc", "a\\b", "x\0y"})
  void aNameThatWouldLeaveTheRootIsRefused(String name) {
    assertThatThrownBy(() -> Directories.child(root, name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a single folder name inside " + root);
  }
}

package io.ordo.cli.toolserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolServerFilesTest {
  @Test
  void theFolderIsMadeTheUsersAloneThePortFileTooAndOneServerHoldsAKey(@TempDir Path tmp)
      throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("servers"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

    Optional<ToolServerFiles> first = ToolServerFiles.take(dir, "123.45");
    assertThat(first).isPresent();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    first.get().publish(4711, "t".repeat(64));
    Path port = dir.resolve("123.45.port");
    assertThat(Files.readString(port))
        .isEqualTo("4711 " + "t".repeat(64) + " " + ProcessHandle.current().pid() + "\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(port)))
        .isEqualTo("rw-------");

    assertThat(ToolServerFiles.take(dir, "123.45")).as("held by the first").isEmpty();
    Optional<ToolServerFiles> other = ToolServerFiles.take(dir, "678.9");
    assertThat(other).isPresent();
    other.get().close();

    first.get().close();
    assertThat(port).doesNotExist();
    Optional<ToolServerFiles> again = ToolServerFiles.take(dir, "123.45");
    assertThat(again).as("free once the first let go").isPresent();
    again.get().close();
  }

  @Test
  void aKeyThatIsNotAPlainFileNameIsRefused(@TempDir Path tmp) {
    assertThatThrownBy(() -> ToolServerFiles.take(tmp, "a/b"))
        .isInstanceOf(ToolServerException.class)
        .hasMessage("tool server key 'a/b' is not a plain file name");
  }
}

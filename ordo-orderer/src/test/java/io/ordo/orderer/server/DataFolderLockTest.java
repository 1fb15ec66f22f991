package io.ordo.orderer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordo.orderer.config.LocalConfigException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFolderLockTest {
  /** Holds the lock of the folder in args[0] until its stdin closes. */
  public static final class Holder {
    public static void main(String[] args) throws Exception {
      try (DataFolderLock lock =
          DataFolderLock.acquire("FileLedger.Location", Path.of(args[0]), "the test's holder")) {
        System.out.println("locked");
        System.out.flush();
        while (System.in.read() >= 0) {
          // until the test closes our stdin
        }
      }
    }
  }

  @Test
  void aSecondNodeOnTheFolderFailsNamingTheFolderAndTheHoldingProcess(@TempDir Path dir)
      throws Exception {
    Process holder =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    Holder.class.getName(),
                    dir.toString()))
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("locked");

      assertThatThrownBy(() -> DataFolderLock.acquire("FileLedger.Location", dir, "second"))
          .isInstanceOf(LocalConfigException.class)
          .hasMessageContaining("FileLedger.Location")
          .hasMessageContaining("the data folder " + dir + " is in use by process " + holder.pid())
          .hasMessageContaining("(the test's holder); stop it first")
          .hasMessageNotContaining("\n");
    } finally {
      holder.getOutputStream().close();
      holder.waitFor();
    }
    // released when the holder ends: the next node starts
    try (DataFolderLock again = DataFolderLock.acquire("FileLedger.Location", dir, "second")) {
      assertThat(again).isNotNull();
    }
  }
}

package io.ordo.orderer.multichannel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DamagedDataTest {
  @TempDir Path dir;
  private final Clock clock = Clock.fixed(Instant.parse("2026-12-07T16:05:19Z"), ZoneOffset.UTC);

  private DamagedData data() {
    return new DamagedData(
        dir.resolve("ledger"),
        List.of(
            new DamagedData.Kept("ledger", dir.resolve("ledger/chains")),
            new DamagedData.Kept("wal", dir.resolve("wal")),
            new DamagedData.Kept("snapshot", dir.resolve("snap"))),
        clock);
  }

  @Test
  void theChannelsFoldersMoveWholeWithTheReasonAndNothingElseMoves() throws IOException {
    Files.createDirectories(dir.resolve("ledger/chains/mychannel"));
    Files.writeString(dir.resolve("ledger/chains/mychannel/blockfile_000000"), "blocks");
    Files.createDirectories(dir.resolve("wal/mychannel"));
    Files.writeString(dir.resolve("wal/mychannel/0-1.wal"), "wal");
    Files.createDirectories(dir.resolve("wal/otherchannel"));

    Path aside = data().moveAside("mychannel", "block 3 CRC32C mismatch").orElseThrow();

    assertThat(aside).isEqualTo(dir.resolve("ledger/damaged/mychannel-20261207T160519Z"));
    assertThat(aside.resolve("ledger/blockfile_000000")).hasContent("blocks");
    assertThat(aside.resolve("wal/0-1.wal")).hasContent("wal");
    assertThat(aside.resolve("snapshot")).doesNotExist();
    assertThat(aside.resolve("reason.txt")).content().contains("block 3 CRC32C mismatch");
    assertThat(dir.resolve("ledger/chains/mychannel")).doesNotExist();
    assertThat(dir.resolve("wal/mychannel")).doesNotExist();
    assertThat(dir.resolve("wal/otherchannel")).isDirectory();
  }

  @Test
  void aSecondMoveInTheSameSecondGetsAFolderOfItsOwn() throws IOException {
    Files.createDirectories(dir.resolve("wal/mychannel"));
    Path first = data().moveAside("mychannel", "first").orElseThrow();
    Files.createDirectories(dir.resolve("wal/mychannel"));
    Path second = data().moveAside("mychannel", "second").orElseThrow();
    assertThat(second).isEqualTo(dir.resolve("ledger/damaged/mychannel-20261207T160519Z-2"));
    assertThat(first.resolve("reason.txt")).content().contains("first");
  }

  @Test
  void aChannelWithNothingOnDiskMovesNothing() {
    assertThat(data().moveAside("mychannel", "gone")).isEmpty();
    assertThat(dir.resolve("ledger/damaged")).doesNotExist();
  }
}

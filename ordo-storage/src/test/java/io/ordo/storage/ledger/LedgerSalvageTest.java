package io.ordo.storage.ledger;

import static io.ordo.storage.ledger.TestBlocks.block;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerSalvageTest {
  private static final int BLOCKS = 30;

  @TempDir Path dir;

  private void write() {
    try (BlockLedger ledger = BlockLedger.open(dir, LedgerOptions.defaults())) {
      for (long n = 0; n < BLOCKS; n++) {
        ledger.append(block(n, 500));
      }
    }
  }

  private static long offsetOf(long n) {
    long at = 0;
    for (long i = 0; i < n; i++) {
      at += BlockFrames.HEADER_BYTES + block(i, 500).getSerializedSize();
    }
    return at;
  }

  private Path file() {
    return dir.resolve(BlockFrames.fileName(0));
  }

  @Test
  void everyBlockButTheDamagedOneIsReadAndNothingIsWritten() throws IOException {
    write();
    BlockLedgerTest.flip(file(), offsetOf(12) + 40);
    byte[] data = Files.readAllBytes(file());
    byte[] index = Files.readAllBytes(dir.resolve(LedgerRecovery.INDEX_FILE));

    try (LedgerSalvage salvage = LedgerSalvage.open(dir)) {
      assertThat(salvage.height()).isEqualTo(BLOCKS);
      for (long n = 0; n < BLOCKS; n++) {
        if (n == 12) {
          assertThat(salvage.block(n)).isEmpty();
        } else {
          assertThat(salvage.block(n)).contains(block(n, 500));
        }
      }
      assertThat(salvage.block(BLOCKS)).isEmpty();
    }
    assertThat(Files.readAllBytes(file())).isEqualTo(data);
    assertThat(Files.readAllBytes(dir.resolve(LedgerRecovery.INDEX_FILE))).isEqualTo(index);
  }

  @Test
  void withoutAnIndexTheFramesAreFollowedUpToTheFirstBrokenOne() throws IOException {
    write();
    Files.delete(dir.resolve(LedgerRecovery.INDEX_FILE));
    // the length of block 20's frame now runs past the end of the file
    try (var f = new java.io.RandomAccessFile(file().toFile(), "rw")) {
      f.seek(offsetOf(20));
      f.writeInt(Integer.MAX_VALUE);
    }
    try (LedgerSalvage salvage = LedgerSalvage.open(dir)) {
      assertThat(salvage.height()).isEqualTo(20);
      assertThat(salvage.block(19)).contains(block(19, 500));
    }
    assertThat(dir.resolve(LedgerRecovery.INDEX_FILE)).doesNotExist();
  }

  @Test
  void aFolderWithoutBlocksHoldsNone() throws IOException {
    try (LedgerSalvage salvage = LedgerSalvage.open(dir.resolve("missing"))) {
      assertThat(salvage.height()).isZero();
      assertThat(salvage.block(0)).isEmpty();
    }
    write();
    for (String name : new String[] {BlockFrames.fileName(0), LedgerRecovery.INDEX_FILE}) {
      Files.write(dir.resolve(name), new byte[0]);
    }
    try (LedgerSalvage salvage = LedgerSalvage.open(dir)) {
      assertThat(salvage.height()).isZero();
    }
  }
}

package io.ordo.storage.ledger;

import static io.ordo.storage.ledger.TestBlocks.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordo.storage.io.StorageCorruptionException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerScrubTest {
  private static final int BLOCK_DATA = 1000;
  private static final int BLOCKS = 40;

  @TempDir Path dir;
  private final List<StorageCorruptionException> told = new CopyOnWriteArrayList<>();

  private BlockLedger open() {
    return BlockLedger.open(
        dir,
        LedgerOptions.defaults().withCorruptionListener((ledger, problem) -> told.add(problem)));
  }

  private BlockLedger written() {
    BlockLedger ledger = open();
    for (long n = 0; n < BLOCKS; n++) {
      ledger.append(block(n, BLOCK_DATA));
    }
    return ledger;
  }

  /** Where block {@code n}'s frame starts: every block is in the first file. */
  private static long offsetOf(long n) {
    long at = 0;
    for (long i = 0; i < n; i++) {
      at += BlockFrames.HEADER_BYTES + block(i, BLOCK_DATA).getSerializedSize();
    }
    return at;
  }

  private Path file() {
    return dir.resolve(BlockFrames.fileName(0));
  }

  @Test
  void theNewestBlocksAreCheckedWithinTheByteBudget() {
    try (BlockLedger ledger = written()) {
      int frame = ledger.frameBytes(BLOCKS - 1);
      assertThat(LedgerScrub.verifyNewest(ledger, 5L * frame)).isEqualTo(BLOCKS - 5);
      assertThat(LedgerScrub.verifyNewest(ledger, 0)).isEqualTo(BLOCKS - 1);
      assertThat(LedgerScrub.verifyNewest(ledger, Long.MAX_VALUE)).isZero();
    }
    assertThat(told).isEmpty();
  }

  @Test
  void theCheckReadsTheFilesNotTheNewestBlocksKeptInMemory() throws IOException {
    try (BlockLedger ledger = written()) {
      BlockLedgerTest.flip(file(), offsetOf(BLOCKS - 1) + 200);
      assertThat(ledger.block(BLOCKS - 1)).isEqualTo(block(BLOCKS - 1, BLOCK_DATA));

      assertThatThrownBy(() -> LedgerScrub.verifyNewest(ledger, 0))
          .isInstanceOf(StorageCorruptionException.class)
          .hasMessage(file() + " at offset " + offsetOf(BLOCKS - 1) + ": block 39 CRC32C mismatch");
      assertThat(told)
          .singleElement()
          .extracting(StorageCorruptionException::offset)
          .isEqualTo(offsetOf(BLOCKS - 1));
    }
  }

  @Test
  void theScrubFindsADamagedOlderBlockAndTellsTheListenerOnce() throws Exception {
    try (BlockLedger ledger = written()) {
      BlockLedgerTest.flip(file(), offsetOf(7) + 100);
      long below = LedgerScrub.verifyNewest(ledger, 10L * ledger.frameBytes(BLOCKS - 1));
      assertThat(below).isEqualTo(BLOCKS - 10);
      assertThat(told).isEmpty();

      try (LedgerScrub scrub = LedgerScrub.start(ledger, below, Long.MAX_VALUE)) {
        LedgerScrub.Outcome outcome = scrub.done().get(30, TimeUnit.SECONDS);
        assertThat(outcome.blocks()).isEqualTo(below - 1 - 7);
        assertThat(outcome.damage())
            .hasValueSatisfying(
                e -> {
                  assertThat(e.file()).isEqualTo(file());
                  assertThat(e.offset()).isEqualTo(offsetOf(7));
                  assertThat(e.getMessage()).endsWith("block 7 CRC32C mismatch");
                });
      }
      assertThatThrownBy(() -> ledger.block(7)).isInstanceOf(StorageCorruptionException.class);
      assertThatThrownBy(() -> ledger.blockBytes(7)).isInstanceOf(StorageCorruptionException.class);
      assertThat(told).hasSize(1);
      assertThat(ledger.damage()).contains(told.getFirst());
    }
  }

  @Test
  void anIntactLedgerIsScrubbedToItsFirstBlock() throws Exception {
    try (BlockLedger ledger = written();
        LedgerScrub scrub = LedgerScrub.start(ledger, BLOCKS, Long.MAX_VALUE)) {
      LedgerScrub.Outcome outcome = scrub.done().get(30, TimeUnit.SECONDS);
      assertThat(outcome.blocks()).isEqualTo(BLOCKS);
      assertThat(outcome.bytes()).isEqualTo(offsetOf(BLOCKS));
      assertThat(outcome.damage()).isEmpty();
    }
    assertThat(told).isEmpty();
  }

  @Test
  void aPacedScrubStopsWhenClosed() throws Exception {
    try (BlockLedger ledger = written()) {
      LedgerScrub scrub = LedgerScrub.start(ledger, BLOCKS, 1);
      scrub.close();
      assertThat(scrub.done().get(5, TimeUnit.SECONDS).blocks()).isLessThan(BLOCKS);
    }
  }

  @Test
  void aScrubEndsQuietlyWhenItsLedgerCloses() throws Exception {
    BlockLedger ledger = written();
    ledger.close();
    LedgerScrub scrub = LedgerScrub.start(ledger, BLOCKS, Long.MAX_VALUE);
    LedgerScrub.Outcome outcome = scrub.done().get(30, TimeUnit.SECONDS);
    assertThat(outcome.blocks()).isZero();
    assertThat(outcome.damage()).isEmpty();
    assertThat(told).isEmpty();
  }
}

package io.ordo.storage.ledger;

import static io.ordo.storage.ledger.TestBlocks.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordo.storage.io.StorageCorruptionException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockLedgerTest {
  private static final LedgerOptions SMALL_FILES = LedgerOptions.defaults().withFileBytes(4096);

  @TempDir Path dir;

  private BlockLedger open() {
    return BlockLedger.open(dir, SMALL_FILES);
  }

  private static void appendRange(BlockLedger ledger, long from, long to) {
    for (long n = from; n <= to; n++) {
      ledger.append(block(n));
    }
  }

  private static void assertHolds(BlockLedger ledger, long height) {
    assertThat(ledger.height()).isEqualTo(height);
    for (long n = 0; n < height; n++) {
      assertThat(ledger.block(n)).isEqualTo(block(n));
      assertThat(ledger.blockBytes(n)).isEqualTo(block(n).toByteString());
    }
  }

  @Test
  void appendedBlocksReadBackAcrossFilesAndReopens() {
    try (BlockLedger ledger = open()) {
      appendRange(ledger, 0, 40);
      assertHolds(ledger, 41);
    }
    assertThat(dir.resolve("blockfile_000003")).exists();
    try (BlockLedger ledger = open()) {
      assertHolds(ledger, 41);
      appendRange(ledger, 41, 45);
      assertHolds(ledger, 46);
    }
  }

  @Test
  void theAppendListenerIsToldTheBlocksTheHeightAndTheTimeOfEachAppend() {
    List<long[]> appends = new ArrayList<>();
    LedgerOptions options =
        SMALL_FILES.withAppendListener(
            (blocks, height, nanos) -> appends.add(new long[] {blocks, height, nanos}));
    try (BlockLedger ledger = BlockLedger.open(dir, options)) {
      ledger.append(block(0));
      ledger.appendAll(List.of(block(1), block(2), block(3)));
    }
    assertThat(appends).hasSize(2);
    assertThat(appends.get(0)[0]).isEqualTo(1);
    assertThat(appends.get(0)[1]).isEqualTo(1);
    assertThat(appends.get(1)[0]).isEqualTo(3);
    assertThat(appends.get(1)[1]).isEqualTo(4);
    assertThat(appends).allSatisfy(a -> assertThat(a[2]).isPositive());
  }

  @Test
  void zerosAfterTheLastBlockOfAFileAreTheEndOfItNotDamage() throws IOException {
    // what a crash leaves after direct writes: each block file padded to a whole disk block
    try (BlockLedger ledger = open()) {
      appendRange(ledger, 0, 12);
    }
    try (RandomAccessFile f =
        new RandomAccessFile(dir.resolve("blockfile_000000").toFile(), "rw")) {
      f.setLength(f.length() + 3000);
    }
    Path newest;
    try (var files = Files.list(dir)) {
      newest =
          files
              .filter(p -> p.getFileName().toString().startsWith("blockfile_"))
              .max(Path::compareTo)
              .orElseThrow();
    }
    long end = Files.size(newest);
    try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) {
      f.setLength(end + 4000);
    }
    try (BlockLedger ledger = open()) {
      assertHolds(ledger, 13);
      assertThat(Files.size(newest)).isEqualTo(end);
      appendRange(ledger, 13, 20);
    }
    try (BlockLedger ledger = open()) {
      assertHolds(ledger, 21);
    }
  }

  @Test
  void theNewestBlocksAreReadFromMemoryAndOlderOnesFromTheirFiles() throws IOException {
    try (BlockLedger ledger = open()) {
      appendRange(ledger, 0, RecentBlocks.MAX_BLOCKS + 9);
      // damage every block on disk: the newest still read, older ones are refused
      for (int file = 0; Files.exists(dir.resolve(BlockFrames.fileName(file))); file++) {
        Path p = dir.resolve(BlockFrames.fileName(file));
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
          for (long at = 12; at < f.length(); at += 64) {
            f.seek(at);
            f.write(0x5a);
          }
        }
      }
      long height = ledger.height();
      for (long n = height - RecentBlocks.MAX_BLOCKS; n < height; n++) {
        assertThat(ledger.block(n)).isEqualTo(block(n));
      }
      assertThatThrownBy(() -> ledger.block(0)).isInstanceOf(StorageCorruptionException.class);
    }
  }

  @Test
  void onlyTheBlockNumberedHeightCanBeAppended() {
    try (BlockLedger ledger = open()) {
      ledger.append(block(0));
      assertThatThrownBy(() -> ledger.append(block(2)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("block 2 cannot be appended at height 1");
      assertThatThrownBy(() -> ledger.appendAll(List.of(block(1), block(3))))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(ledger.height()).isEqualTo(1);
      assertThatThrownBy(() -> ledger.block(1)).isInstanceOf(NoSuchElementException.class);
    }
  }

  @Test
  void aBatchIsAppendedWhole() {
    try (BlockLedger ledger = open()) {
      List<Block> batch = LongStream.range(0, 30).mapToObj(TestBlocks::block).toList();
      ledger.appendAll(batch);
      assertHolds(ledger, 30);
    }
    try (BlockLedger ledger = open()) {
      assertHolds(ledger, 30);
    }
  }

  @Test
  void awaitHeightCompletesWhenTheWriterPublishes() throws Exception {
    try (BlockLedger ledger = open()) {
      ledger.append(block(0));
      assertThat(ledger.awaitHeight(1)).isCompletedWithValue(1L);
      CompletableFuture<Long> two = ledger.awaitHeight(3);
      assertThat(two).isNotDone();
      assertThat(ledger.waitingReaders()).isEqualTo(1);
      ledger.append(block(1));
      assertThat(two).isNotDone();
      ledger.append(block(2));
      assertThat(two).isCompletedWithValue(3L);
      assertThat(ledger.waitingReaders()).isZero();
    }
  }

  @Test
  void aCancelledWaiterIsForgotten() {
    try (BlockLedger ledger = open()) {
      CompletableFuture<Long> f = ledger.awaitHeight(10);
      assertThat(ledger.waitingReaders()).isEqualTo(1);
      f.cancel(false);
      assertThat(ledger.waitingReaders()).isZero();
    }
  }

  @Test
  void iteratorNextWaitsForTheBlockThenReturnsIt() throws Exception {
    try (BlockLedger ledger = open()) {
      ledger.append(block(0));
      BlockIterator it = ledger.iterator(0);
      assertThat(it.next()).isEqualTo(block(0));
      CompletableFuture<Block> pending = CompletableFuture.supplyAsync(it::next);
      // the reader registers as a waiter before the append, or finds the block after it
      org.awaitility.Awaitility.await()
          .atMost(10, TimeUnit.SECONDS)
          .until(() -> ledger.waitingReaders() == 1);
      assertThat(pending).isNotDone();
      ledger.append(block(1));
      assertThat(pending.get(10, TimeUnit.SECONDS)).isEqualTo(block(1));
      assertThat(it.position()).isEqualTo(2);
    }
  }

  @Test
  void closingTheLedgerReleasesWaitingReaders() {
    BlockLedger ledger = open();
    CompletableFuture<Long> f = ledger.awaitHeight(5);
    ledger.close();
    assertThatThrownBy(f::get)
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(LedgerClosedException.class);
    assertThatThrownBy(() -> ledger.iterator(0).next()).isInstanceOf(LedgerClosedException.class);
  }

  @Test
  void aFlippedByteInABlockIsNamedWhenTheBlockIsRead() throws IOException {
    try (BlockLedger ledger = open()) {
      appendRange(ledger, 0, 4);
    }
    Path file = dir.resolve("blockfile_000000");
    long mid = Files.size(file) / 2;
    flip(file, mid);
    try (BlockLedger ledger = open()) {
      List<String> errors = new ArrayList<>();
      for (long n = 0; n < ledger.height(); n++) {
        try {
          ledger.block(n);
        } catch (StorageCorruptionException e) {
          errors.add(e.getMessage());
          assertThat(e.file()).isEqualTo(file);
          assertThat(e.offset()).isLessThanOrEqualTo(mid);
        }
      }
      assertThat(errors).hasSize(1).allMatch(m -> m.contains("blockfile_000000"));
      List<String> rawErrors = new ArrayList<>();
      for (long n = 0; n < ledger.height(); n++) {
        try {
          ledger.blockBytes(n);
        } catch (StorageCorruptionException e) {
          rawErrors.add(e.getMessage());
        }
      }
      assertThat(rawErrors).as("the same block refused as bytes").isEqualTo(errors);
    }
  }

  @Test
  void aFlippedByteMidFileWithoutIndexStopsTheOpenNamingFileAndOffset() throws IOException {
    try (BlockLedger ledger = open()) {
      appendRange(ledger, 0, 4);
    }
    Path file = dir.resolve("blockfile_000000");
    flip(file, Files.size(file) / 2);
    Files.delete(dir.resolve("index"));
    assertThatThrownBy(this::open)
        .isInstanceOf(StorageCorruptionException.class)
        .hasMessageContaining("blockfile_000000 at offset")
        .hasMessageContaining("a valid block frame follows");
  }

  @Test
  void aTornBlockAfterTheIndexedOnesIsCut() throws IOException {
    try (BlockLedger ledger = open()) {
      appendRange(ledger, 0, 2);
    }
    Path file = dir.resolve("blockfile_000000");
    byte[] partial = frameOf(block(3));
    long before = Files.size(file);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(before);
      f.write(partial, 0, partial.length / 2);
    }
    try (BlockLedger ledger = open()) {
      assertHolds(ledger, 3);
      assertThat(Files.size(file)).isEqualTo(before);
      appendRange(ledger, 3, 5);
    }
    try (BlockLedger ledger = open()) {
      assertHolds(ledger, 6);
    }
  }

  @Test
  void aWholeBlockWhoseIndexRecordWasTornIsIndexedAgain() throws IOException {
    try (BlockLedger ledger = open()) {
      appendRange(ledger, 0, 2);
    }
    Path index = dir.resolve("index");
    try (RandomAccessFile f = new RandomAccessFile(index.toFile(), "rw")) {
      f.setLength(f.length() - 7);
    }
    try (BlockLedger ledger = open()) {
      assertHolds(ledger, 3);
    }
    assertThat(Files.size(index)).isEqualTo(3 * BlockLocation.RECORD_BYTES);
  }

  @Test
  void aTruncatedLastBlockWithItsIndexRecordMissingIsCutBack() throws IOException {
    try (BlockLedger ledger = open()) {
      appendRange(ledger, 0, 2);
    }
    Path file = dir.resolve("blockfile_000000");
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(f.length() - 10);
    }
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("index").toFile(), "rw")) {
      f.setLength(2 * BlockLocation.RECORD_BYTES + 5);
    }
    try (BlockLedger ledger = open()) {
      assertHolds(ledger, 2);
      ledger.append(block(2));
      assertHolds(ledger, 3);
    }
  }

  @Test
  void anIndexedBlockMissingFromTheDataIsNamedCorruption() throws IOException {
    try (BlockLedger ledger = open()) {
      appendRange(ledger, 0, 2);
    }
    Path file = dir.resolve("blockfile_000000");
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(f.length() - 10);
    }
    assertThatThrownBy(this::open)
        .isInstanceOf(StorageCorruptionException.class)
        .hasMessageContaining("blockfile_000000 at offset")
        .hasMessageContaining("indexed block 2");
  }

  @Test
  void aDeletedIndexIsRebuiltFromTheBlockFiles() throws IOException {
    try (BlockLedger ledger = open()) {
      appendRange(ledger, 0, 40);
    }
    byte[] original = Files.readAllBytes(dir.resolve("index"));
    Files.delete(dir.resolve("index"));
    try (BlockLedger ledger = open()) {
      assertHolds(ledger, 41);
    }
    assertThat(Files.readAllBytes(dir.resolve("index"))).isEqualTo(original);
  }

  @Test
  void aDamagedIndexRecordInTheMiddleIsRebuilt() throws IOException {
    try (BlockLedger ledger = open()) {
      appendRange(ledger, 0, 40);
    }
    byte[] original = Files.readAllBytes(dir.resolve("index"));
    flip(dir.resolve("index"), 10L * BlockLocation.RECORD_BYTES + 6);
    try (BlockLedger ledger = open()) {
      assertHolds(ledger, 41);
    }
    assertThat(Files.readAllBytes(dir.resolve("index"))).isEqualTo(original);
  }

  @Test
  void aBlockLargerThanAFileGetsAFileOfItsOwn() {
    try (BlockLedger ledger = open()) {
      ledger.append(block(0, 100));
      ledger.append(block(1, 10_000));
      ledger.append(block(2, 100));
      assertThat(ledger.block(1)).isEqualTo(block(1, 10_000));
    }
    try (BlockLedger ledger = open()) {
      assertThat(ledger.height()).isEqualTo(3);
      assertThat(ledger.block(2)).isEqualTo(block(2, 100));
    }
  }

  static byte[] frameOf(Block b) {
    byte[] body = b.toByteArray();
    java.nio.ByteBuffer h = BlockFrames.header(body);
    byte[] out = new byte[8 + body.length];
    h.get(out, 0, 8);
    System.arraycopy(body, 0, out, 8, body.length);
    return out;
  }

  static void flip(Path file, long at) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x40);
    }
  }
}

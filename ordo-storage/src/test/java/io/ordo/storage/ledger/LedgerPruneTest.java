package io.ordo.storage.ledger;

import static io.ordo.storage.ledger.TestBlocks.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pruning: which files go, what a reader of a pruned block is told, what a reopen finds after a
 * prune and after each state a crash can leave it in, a ledger that starts at a later block, and
 * appends and reads while prunes run.
 */
class LedgerPruneTest {
  private static final LedgerOptions SMALL_FILES = LedgerOptions.defaults().withFileBytes(4096);

  @TempDir Path dir;

  /** A copy of the ledger's folder taken mid-test, beside it in a temporary folder of its own. */
  @TempDir Path copies;

  private BlockLedger open() {
    return BlockLedger.open(dir, SMALL_FILES);
  }

  private static void appendRange(BlockLedger ledger, long from, long to) {
    for (long n = from; n <= to; n++) {
      ledger.append(block(n));
    }
  }

  /** Every block from the first to the height reads back as written. */
  private static void assertServes(BlockLedger ledger, long first, long height) {
    assertThat(ledger.first()).isEqualTo(first);
    assertThat(ledger.height()).isEqualTo(height);
    for (long n = first; n < height; n++) {
      assertThat(ledger.block(n)).isEqualTo(block(n));
    }
  }

  private List<Integer> blockFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("blockfile_"))
          .map(n -> Integer.parseInt(n.substring("blockfile_".length())))
          .sorted()
          .toList();
    }
  }

  private long dirBytes() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      long total = 0;
      for (Path p : s.toList()) {
        total += Files.size(p);
      }
      return total;
    }
  }

  /** The block file block {@code n} is in, read from the index of a ledger never pruned. */
  private static int fileOf(Path dir, long n) throws IOException {
    ByteBuffer index = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(LedgerRecovery.INDEX_FILE)));
    return BlockLocation.readFrom(index, (int) n * BlockLocation.RECORD_BYTES).file();
  }

  @Test
  void onlyFilesWhollyBelowTheBoundGoAndTheirBlocksAnswerPruned() throws IOException {
    try (BlockLedger ledger = open()) {
      appendRange(ledger, 0, 99);
      int boundFile = fileOf(dir, 60);
      long firstOfBoundFile = 60;
      while (fileOf(dir, firstOfBoundFile - 1) == boundFile) {
        firstOfBoundFile--;
      }
      long bytesBefore = dirBytes();

      BlockLedger.Pruned pruned = ledger.prune(60);

      // the file holding block 60 stays, and so every block of it, some below 60
      assertThat(blockFiles().getFirst()).isEqualTo(boundFile);
      assertThat(pruned.files()).isEqualTo(boundFile);
      assertThat(pruned.first()).isEqualTo(ledger.first()).isEqualTo(firstOfBoundFile);
      assertThat(pruned.bytes()).isPositive();
      assertThat(dirBytes()).isLessThan(bytesBefore - pruned.bytes() / 2);
      assertServes(ledger, pruned.first(), 100);
      long first = pruned.first();
      assertThatThrownBy(() -> ledger.block(first - 1))
          .isInstanceOf(BlockPrunedException.class)
          .isInstanceOf(NoSuchElementException.class)
          .hasMessageContaining("no longer holds block " + (first - 1))
          .hasMessageContaining("it holds blocks from " + first)
          .satisfies(e -> assertThat(((BlockPrunedException) e).first()).isEqualTo(first));
      assertThatThrownBy(() -> ledger.blockBytes(0)).isInstanceOf(BlockPrunedException.class);
      assertThatThrownBy(() -> ledger.iterator(0).next()).isInstanceOf(BlockPrunedException.class);
    }
  }

  @Test
  void theNewestBlockAndItsFileAreNeverPruned() throws IOException {
    try (BlockLedger ledger = open()) {
      appendRange(ledger, 0, 99);
      int newestFile = fileOf(dir, 99);
      BlockLedger.Pruned pruned = ledger.prune(Long.MAX_VALUE);
      assertThat(blockFiles()).containsExactly(newestFile);
      assertThat(pruned.first()).isLessThanOrEqualTo(99);
      assertServes(ledger, pruned.first(), 100);
      appendRange(ledger, 100, 140);
      assertServes(ledger, pruned.first(), 141);
    }
  }

  @Test
  void aBoundInTheFirstFileOrAtTheFirstBlockPrunesNothing() throws IOException {
    try (BlockLedger ledger = open()) {
      appendRange(ledger, 0, 99);
      byte[] index = Files.readAllBytes(dir.resolve(LedgerRecovery.INDEX_FILE));
      assertThat(ledger.prune(0)).isEqualTo(new BlockLedger.Pruned(0, 0, 0));
      assertThat(ledger.prune(1)).isEqualTo(new BlockLedger.Pruned(0, 0, 0));
      // an unpruned ledger keeps its index as it was, without a header
      assertThat(Files.readAllBytes(dir.resolve(LedgerRecovery.INDEX_FILE))).isEqualTo(index);
      long first = ledger.prune(60).first();
      assertThat(ledger.prune(first)).isEqualTo(new BlockLedger.Pruned(first, 0, 0));
    }
  }

  @Test
  void aPrunedLedgerReopensServingFromItsFirstBlockAndPrunesAgain() throws IOException {
    long first;
    try (BlockLedger ledger = open()) {
      appendRange(ledger, 0, 99);
      first = ledger.prune(60).first();
    }
    try (BlockLedger ledger = open()) {
      assertServes(ledger, first, 100);
      appendRange(ledger, 100, 199);
      long again = ledger.prune(150).first();
      assertThat(again).isGreaterThan(first);
      first = again;
    }
    try (BlockLedger ledger = open()) {
      assertServes(ledger, first, 200);
    }
  }

  @Test
  void diskUseStaysBoundedWhenEveryAppendIsFollowedByAPrune() throws IOException {
    long highest = 0;
    try (BlockLedger ledger = open()) {
      for (long n = 0; n < 3000; n++) {
        ledger.append(block(n));
        if (n % 7 == 0) {
          ledger.prune(n + 1 - 50);
        }
        if (n >= 500) {
          highest = Math.max(highest, dirBytes());
        }
      }
      // the 50 kept, the rest of their first file, and up to 7 appended since the last prune
      assertThat(ledger.height() - ledger.first()).isBetween(50L, 50L + 4096 / 58 + 7);
    }
    // 3,000 blocks take about 1.6 MB unpruned; at most about 130 of them are kept, each at most
    // 1 KB, and their index records
    assertThat(highest).isLessThan(130 * (1010 + BlockLocation.RECORD_BYTES) + 4096);
  }

  @Test
  void aCrashAfterTheNewIndexAndBeforeTheDeletionsLeavesFilesTheNextOpenDeletes()
      throws IOException {
    Path before = copies.resolve("before");
    long first;
    try (BlockLedger ledger = open()) {
      appendRange(ledger, 0, 99);
      copy(dir, before);
      first = ledger.prune(60).first();
    }
    // the files as they were, with the index the prune renamed into place
    Files.copy(
        dir.resolve(LedgerRecovery.INDEX_FILE),
        before.resolve(LedgerRecovery.INDEX_FILE),
        StandardCopyOption.REPLACE_EXISTING);
    try (BlockLedger ledger = BlockLedger.open(before, SMALL_FILES)) {
      assertServes(ledger, first, 100);
    }
    try (Stream<Path> s = Files.list(before)) {
      assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("blockfile_")))
          .doesNotContain(BlockFrames.fileName(0));
    }
  }

  @Test
  void aCrashBeforeTheRenameLeavesTheLedgerAsItWas() throws IOException {
    try (BlockLedger ledger = open()) {
      appendRange(ledger, 0, 99);
    }
    // the new index written in part, never renamed
    Files.write(dir.resolve(LedgerRecovery.INDEX_FILE + ".tmp"), new byte[] {1, 2, 3});
    try (BlockLedger ledger = open()) {
      assertServes(ledger, 0, 100);
    }
    assertThat(dir.resolve(LedgerRecovery.INDEX_FILE + ".tmp")).doesNotExist();
  }

  @Test
  void aPrunedLedgerWithoutItsIndexIsRebuiltFromItsLowestFile() throws IOException {
    long first;
    try (BlockLedger ledger = open()) {
      appendRange(ledger, 0, 99);
      first = ledger.prune(60).first();
    }
    Files.delete(dir.resolve(LedgerRecovery.INDEX_FILE));
    try (BlockLedger ledger = open()) {
      assertServes(ledger, first, 100);
      appendRange(ledger, 100, 110);
    }
    try (BlockLedger ledger = open()) {
      assertServes(ledger, first, 111);
    }
  }

  @Test
  void anEmptyLedgerStartsAtALaterBlockAndKeepsItsFirstBlockAcrossReopens() {
    try (BlockLedger ledger = open()) {
      ledger.startAt(block(500));
      assertServes(ledger, 500, 501);
      assertThatThrownBy(() -> ledger.block(499)).isInstanceOf(BlockPrunedException.class);
      appendRange(ledger, 501, 560);
      assertServes(ledger, 500, 561);
    }
    try (BlockLedger ledger = open()) {
      assertServes(ledger, 500, 561);
      long first = ledger.prune(540).first();
      assertThat(first).isGreaterThan(500);
      assertServes(ledger, first, 561);
    }
  }

  @Test
  void aLedgerStartedAtALaterBlockWithoutItsIndexIsRebuiltFromThatBlock() throws IOException {
    try (BlockLedger ledger = open()) {
      ledger.startAt(block(500));
      appendRange(ledger, 501, 520);
    }
    Files.delete(dir.resolve(LedgerRecovery.INDEX_FILE));
    try (BlockLedger ledger = open()) {
      assertServes(ledger, 500, 521);
    }
  }

  @Test
  void onlyAnEmptyLedgerStartsAtALaterBlock() {
    try (BlockLedger ledger = open()) {
      ledger.append(block(0));
      assertThatThrownBy(() -> ledger.startAt(block(7)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("only an empty ledger starts at block 7");
      assertServes(ledger, 0, 1);
    }
  }

  @Test
  void aCrashBeforeALaterStartIsInPlaceLeavesAnEmptyLedger() throws IOException {
    try (BlockLedger ledger = open()) {
      assertThat(ledger.height()).isZero();
    }
    // block 500 written and synced, the index naming it not yet renamed into place
    byte[] bytes = block(500).toByteArray();
    ByteBuffer frame = ByteBuffer.allocate(BlockFrames.HEADER_BYTES + bytes.length);
    frame.put(BlockFrames.header(bytes)).put(bytes);
    Files.write(dir.resolve(BlockFrames.fileName(0)), frame.array());
    try (BlockLedger ledger = open()) {
      assertThat(ledger.height()).isZero();
      assertThat(ledger.first()).isZero();
      ledger.startAt(block(500));
      assertServes(ledger, 500, 501);
    }
  }

  @Test
  void salvageAndScrubReadAPrunedLedgerFromItsFirstBlock() throws IOException {
    long first;
    try (BlockLedger ledger = open()) {
      appendRange(ledger, 0, 99);
      first = ledger.prune(60).first();
      assertThat(LedgerScrub.verifyNewest(ledger, Long.MAX_VALUE)).isEqualTo(first);
      LedgerScrub.Outcome outcome =
          LedgerScrub.start(ledger, ledger.height(), Long.MAX_VALUE).done().join();
      assertThat(outcome.blocks()).isEqualTo(100 - first);
      assertThat(outcome.damage()).isEmpty();
    }
    try (LedgerSalvage salvage = LedgerSalvage.open(dir)) {
      assertThat(salvage.first()).isEqualTo(first);
      assertThat(salvage.height()).isEqualTo(100);
      assertThat(salvage.block(first)).contains(block(first));
      assertThat(salvage.block(first - 1)).isEmpty();
    }
    Files.delete(dir.resolve(LedgerRecovery.INDEX_FILE));
    try (LedgerSalvage salvage = LedgerSalvage.open(dir)) {
      assertThat(salvage.first()).isEqualTo(first);
      assertThat(salvage.block(99)).contains(block(99));
    }
  }

  @Test
  void appendsAndReadsGoOnWhilePrunesRun() throws Exception {
    long seed = new Random().nextLong();
    System.out.println("LedgerPruneTest: seed " + seed);
    Random random = new Random(seed);
    AtomicBoolean done = new AtomicBoolean();
    List<String> failures = new ArrayList<>();
    try (BlockLedger ledger = open()) {
      ledger.append(block(0));
      CompletableFuture<Void> pruner =
          CompletableFuture.runAsync(
              () -> {
                while (!done.get()) {
                  ledger.prune(ledger.height() - 40);
                }
              });
      CompletableFuture<Void> reader =
          CompletableFuture.runAsync(
              () -> {
                Random r = new Random(seed + 1);
                while (!done.get()) {
                  long h = ledger.height();
                  long n = Math.max(0, h - 1 - r.nextInt(120));
                  try {
                    if (!ledger.block(n).equals(block(n))) {
                      synchronized (failures) {
                        failures.add("block " + n + " read back different");
                      }
                    }
                  } catch (BlockPrunedException e) {
                    // pruned between the height and the read: what a reader may be told
                  } catch (RuntimeException e) {
                    synchronized (failures) {
                      failures.add("block " + n + ": " + e);
                    }
                  }
                }
              });
      for (long n = 1; n < 1500; n++) {
        if (random.nextInt(10) == 0 && n + 1 < 1500) {
          ledger.appendAll(List.of(block(n), block(n + 1)));
          n++;
        } else {
          ledger.append(block(n));
        }
      }
      done.set(true);
      pruner.join();
      reader.join();
      assertThat(failures).isEmpty();
      assertThat(ledger.first()).isGreaterThan(1000);
      assertServes(ledger, ledger.first(), ledger.height());
    }
    try (BlockLedger ledger = open()) {
      assertThat(ledger.height()).isEqualTo(1500);
      assertServes(ledger, ledger.first(), 1500);
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> s = Files.list(from)) {
      for (Path p : s.toList()) {
        Files.copy(p, to.resolve(p.getFileName()));
      }
    }
  }
}

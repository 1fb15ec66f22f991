package io.ordo.storage.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The figure behind the start-up check's budget (ordo-storage README, "Scrub"): the time to open a
 * ledger of {@code ordo.scrub.blocks} blocks (10,000 by default) of 500 KB written with direct
 * writes, so not in the page cache, and to check every frame of it.
 */
@Tag("soak")
class LedgerScrubSoakTest {
  private static final int BLOCK_BYTES = 500 * 1024;

  @TempDir Path dir;

  @Test
  void printsTheTimeToCheckEveryBlockOfALargeLedger() {
    int blocks = Integer.getInteger("ordo.scrub.blocks", 10_000);
    byte[] data = new byte[BLOCK_BYTES];
    new Random(1).nextBytes(data);
    ByteString payload = ByteString.copyFrom(data);
    try (BlockLedger ledger = BlockLedger.open(dir, LedgerOptions.defaults())) {
      List<Block> batch = new ArrayList<>();
      for (long n = 0; n < blocks; n++) {
        batch.add(
            Block.newBuilder()
                .setHeader(BlockHeader.newBuilder().setNumber(n))
                .setData(BlockData.newBuilder().addData(payload))
                .build());
        if (batch.size() == 64 || n == blocks - 1) {
          ledger.appendAll(batch);
          batch.clear();
        }
      }
    }
    long opening = System.nanoTime();
    try (BlockLedger ledger = BlockLedger.open(dir, LedgerOptions.defaults())) {
      long opened = System.nanoTime();
      long bytes = 0;
      for (long n = 0; n < ledger.height(); n++) {
        bytes += ledger.frameBytes(n);
      }
      long newest = LedgerScrub.verifyNewest(ledger, LedgerScrub.NEWEST_BYTES);
      long window = System.nanoTime();
      assertThat(LedgerScrub.verifyNewest(ledger, Long.MAX_VALUE)).isZero();
      long all = System.nanoTime();
      assertThat(LedgerScrub.verifyNewest(ledger, Long.MAX_VALUE)).isZero();
      long again = System.nanoTime();
      System.out.printf(
          "ledger of %d blocks, %d MiB: open %d ms; newest %d MiB (%d blocks) %d ms;"
              + " every block %d ms (%.0f MiB/s); again, from the page cache, %d ms%n",
          blocks,
          bytes >> 20,
          (opened - opening) / 1_000_000,
          LedgerScrub.NEWEST_BYTES >> 20,
          blocks - newest,
          (window - opened) / 1_000_000,
          (all - window) / 1_000_000,
          (bytes / 1048576.0) / ((all - window) / 1e9),
          (again - all) / 1_000_000);
    }
  }
}

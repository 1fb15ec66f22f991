package io.ordo.orderer.multichannel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordo.fabric.block.Blocks;
import io.ordo.storage.ledger.BlockLedger;
import io.ordo.storage.ledger.LedgerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which blocks a pass keeps: the last KeepBlocks, the snapshot's block, the last config block. */
class LedgerPruningTest {
  private static final long KEEP = 50;

  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private LedgerPruning pruning(List<LedgerPruning.Target> targets) {
    return new LedgerPruning(KEEP, Duration.ofMinutes(1), () -> targets, registry);
  }

  /** Block {@code n} of 300 data bytes whose last config is block {@code lastConfig}. */
  private static Block block(long n, long lastConfig) {
    Metadata last =
        Metadata.newBuilder()
            .setValue(LastConfig.newBuilder().setIndex(lastConfig).build().toByteString())
            .build();
    return Block.newBuilder()
        .setHeader(BlockHeader.newBuilder().setNumber(n))
        .setData(BlockData.newBuilder().addData(ByteString.copyFrom(new byte[300])))
        .setMetadata(
            Blocks.emptyMetadata().toBuilder()
                .setMetadata(BlockMetadataIndex.LAST_CONFIG_VALUE, last.toByteString()))
        .build();
  }

  /** A ledger of 200 blocks, 4 KiB block files, whose last config block is {@code lastConfig}. */
  private BlockLedger ledger(String name, long lastConfig) {
    BlockLedger ledger =
        BlockLedger.open(dir.resolve(name), LedgerOptions.defaults().withFileBytes(4096));
    for (long n = 0; n < 200; n++) {
      ledger.append(block(n, Math.min(n, lastConfig)));
    }
    return ledger;
  }

  @Test
  void theBoundIsTheLowestOfTheLastKeepBlocksTheSnapshotAndTheLastConfigBlock() {
    LedgerPruning p = pruning(List.of());
    assertThat(p.bound(1000, 2000, 3000)).isEqualTo(1000 - KEEP);
    assertThat(p.bound(1000, 400, 3000)).isEqualTo(400);
    assertThat(p.bound(1000, 2000, 300)).isEqualTo(300);
    assertThat(p.bound(30, Long.MAX_VALUE, Long.MAX_VALUE)).isZero();
    p.close();
  }

  @Test
  void aPassPrunesEachLedgerBelowItsBoundAndShowsTheFirstBlockAndTheBytes() {
    try (BlockLedger byCount = ledger("count", 199);
        BlockLedger bySnapshot = ledger("snapshot", 199);
        BlockLedger byConfig = ledger("config", 60);
        BlockLedger noSnapshot = ledger("none", 199)) {
      LedgerPruning p =
          pruning(
              List.of(
                  new LedgerPruning.Target("count", byCount, Long.MAX_VALUE),
                  new LedgerPruning.Target("snapshot", bySnapshot, 100),
                  new LedgerPruning.Target("config", byConfig, Long.MAX_VALUE),
                  new LedgerPruning.Target("none", noSnapshot, 0)));
      p.pass();
      assertKeepsFrom(byCount, 200 - KEEP);
      assertKeepsFrom(bySnapshot, 100);
      assertKeepsFrom(byConfig, 60);
      assertThat(noSnapshot.first()).isZero();
      assertThat(registry.get("ledger_first_block").tag("channel", "count").gauge().value())
          .isEqualTo(byCount.first());
      assertThat(registry.get("ledger_pruned_bytes").tag("channel", "count").counter().count())
          .isPositive();
      assertThat(registry.get("ledger_pruned_bytes").tag("channel", "none").counter().count())
          .isZero();
      p.close();
    }
  }

  /** The ledger holds {@code bound} and lost a file below it: its first block is at most that. */
  private static void assertKeepsFrom(BlockLedger ledger, long bound) {
    assertThat(ledger.first()).isPositive().isLessThanOrEqualTo(bound);
    assertThat(ledger.block(bound).getHeader().getNumber()).isEqualTo(bound);
    // the block file before the first held one went: its last block is within one file of it
    assertThat(bound - ledger.first()).isLessThan(4096 / 300 + 1);
  }
}

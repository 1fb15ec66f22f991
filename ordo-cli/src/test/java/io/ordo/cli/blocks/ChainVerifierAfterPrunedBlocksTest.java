package io.ordo.cli.blocks;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ordo.cli.TestData;
import io.ordo.fabric.crypto.Ecdsa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.Test;

/**
 * What an orderer that no longer holds block 0 delivers: blocks before its first config block,
 * which only the hash chain into that config block vouches for.
 */
class ChainVerifierAfterPrunedBlocksTest {
  private static final Path NETWORK = TestData.network();

  private static BlockFile block(int n) throws Exception {
    return BlockFile.delivered(
        "orderer", Block.parseFrom(Files.readAllBytes(NETWORK.resolve("block-" + n + ".pb"))));
  }

  @Test
  void blocksBeforeTheFirstConfigBlockPassByTheirHashesButFailWithoutAConfigBlockAfterThem()
      throws Exception {
    ChainVerifier.Run run = new ChainVerifier(Ecdsa.preferred()).beginAfterPrunedBlocks();
    assertThat(run.accept(block(1))).isTrue();
    assertThat(run.accept(block(2))).isTrue();
    ChainReport report = run.report();
    assertThat(report.passed()).isEqualTo(2);
    assertThat(report.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.failed()).contains(ChainCheck.CONFIG);
              assertThat(f.detail()).contains("no config block follows the blocks from 1");
            });
  }

  @Test
  void aBlockWhoseDataWasChangedFailsItsDataHashAndEndsTheRun() throws Exception {
    ChainVerifier.Run run = new ChainVerifier(Ecdsa.preferred()).beginAfterPrunedBlocks();
    Block changed = block(2).block();
    changed =
        changed.toBuilder()
            .setData(changed.getData().toBuilder().setData(0, ByteString.copyFromUtf8("forged")))
            .build();
    assertThat(run.accept(block(1))).isTrue();
    assertThat(run.accept(BlockFile.delivered("orderer", changed))).isFalse();
    assertThat(run.report().failures())
        .extracting(Outcome::failed)
        .containsExactly(Optional.of(ChainCheck.DATA_HASH));
  }

  @Test
  void aRunFromTheGenesisBlockIsUnchanged() throws Exception {
    ChainVerifier.Run run = new ChainVerifier(Ecdsa.preferred()).beginAfterPrunedBlocks();
    for (int n = 0; n <= 2; n++) {
      assertThat(run.accept(block(n))).isTrue();
    }
    assertThat(run.report().allPassed()).isTrue();
  }
}

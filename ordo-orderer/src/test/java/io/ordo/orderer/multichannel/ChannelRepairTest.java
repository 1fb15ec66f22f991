package io.ordo.orderer.multichannel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.orderer.testing.TestBlocks;
import io.ordo.orderer.testing.TestChannelConfig;
import io.ordo.orderer.testing.TestOrg;
import io.ordo.storage.ledger.BlockLedger;
import io.ordo.storage.ledger.LedgerOptions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which join block a damaged channel is rebuilt from, and when it cannot be rebuilt. */
class ChannelRepairTest {
  private static final String CHANNEL = "mychannel";
  private static final String DAMAGE = "blockfile_000000 at offset 7: block 3 CRC32C mismatch";
  private static final TestOrg ORDERER_ORG = new TestOrg("OrdererMSP");
  private static final TestOrg.TlsIdentity TLS = ORDERER_ORG.tls("orderer1.example.com");
  private static final ChannelConfigLoader LOADER = new ChannelConfigLoader(TestOrg.ECDSA);

  @TempDir Path dir;
  private Block genesis;

  @BeforeEach
  void ledgerOfSixBlocks() {
    genesis =
        TestBlocks.genesis(
            CHANNEL,
            new TestChannelConfig()
                .ordererOrg(ORDERER_ORG)
                .applicationOrg(new TestOrg("Org1MSP"))
                .consenter("orderer1.example.com", 7050, TLS.certificatePem(), TLS.certificatePem())
                .build());
    try (BlockLedger ledger = BlockLedger.open(dir, LedgerOptions.defaults())) {
      Block last = genesis;
      ledger.append(last);
      for (int i = 1; i <= 5; i++) {
        last = TestBlocks.after(last, List.of(ByteString.copyFromUtf8("tx " + i)));
        ledger.append(last);
      }
    }
  }

  /** Flips a byte in the middle of block {@code n}, as found through the index. */
  private void damage(long n) throws IOException {
    try (RandomAccessFile index = new RandomAccessFile(dir.resolve("index").toFile(), "r");
        RandomAccessFile blocks =
            new RandomAccessFile(dir.resolve("blockfile_000000").toFile(), "rw")) {
      index.seek(n * 20);
      index.readInt();
      long at = index.readLong() + 8 + index.readInt() / 2;
      blocks.seek(at);
      int b = blocks.read();
      blocks.seek(at);
      blocks.write(b ^ 0x40);
    }
  }

  @Test
  void theNewestIntactConfigBlockIsTheJoinBlockWhenAnotherConsenterHoldsTheChannel()
      throws IOException {
    damage(5);
    Block join = new ChannelRepair(LOADER, config -> false, true).joinBlock(CHANNEL, dir, DAMAGE);
    assertThat(join).isEqualTo(genesis);
  }

  @Test
  void theOnlyConsenterCannotBeRebuilt() {
    assertThatThrownBy(
            () -> new ChannelRepair(LOADER, config -> true, true).joinBlock(CHANNEL, dir, DAMAGE))
        .isInstanceOf(DamagedChannelException.class)
        .hasMessage(
            "channel mychannel: "
                + DAMAGE
                + "; not rebuilt: config block [0] names no consenter but this node, so no other"
                + " orderer holds the channel");
  }

  @Test
  void aNodeWithoutABlockPullerCannotRebuild() {
    assertThatThrownBy(
            () -> new ChannelRepair(LOADER, config -> false, false).joinBlock(CHANNEL, dir, DAMAGE))
        .isInstanceOf(DamagedChannelException.class)
        .hasMessageEndingWith("no block puller to fetch the channel from other orderers");
  }

  @Test
  void withoutAReadableConfigBlockTheOrderersToAskAreUnknown() throws IOException {
    damage(0);
    assertThatThrownBy(
            () -> new ChannelRepair(LOADER, config -> false, true).joinBlock(CHANNEL, dir, DAMAGE))
        .isInstanceOf(DamagedChannelException.class)
        .hasMessageContaining("no config block can be read from its ledger in " + dir);
  }
}

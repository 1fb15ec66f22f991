package io.ordo.cli.blocks;

import static io.ordo.cli.ExpectedErrors.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ordo.cli.Cli;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Metadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlocksVerifyCommandTest {
  private static final Path NETWORK = TestData.network();

  private static Block block(int n) throws Exception {
    return Block.parseFrom(Files.readAllBytes(NETWORK.resolve("block-" + n + ".pb")));
  }

  private static Path folder(Path dir, int... numbers) throws Exception {
    for (int n : numbers) {
      Files.copy(NETWORK.resolve("block-" + n + ".pb"), dir.resolve("block-" + n + ".pb"));
    }
    return dir;
  }

  private static Cli.Result verify(Path dir) {
    return Cli.run("blocks", "verify", dir.toString());
  }

  @Test
  void genesisAndTheTwoBlocksAfterItPass(@TempDir Path dir) throws Exception {
    Cli.Result r = verify(folder(dir, 0, 1, 2));

    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.OK);
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .contains("block 0 (block-0.pb): ok, genesis block of channel mychannel")
        .contains("block 1 (block-1.pb): ok, 500 envelope(s)")
        .contains("block 2 (block-2.pb): ok")
        .contains("channel mychannel: all 3 blocks verified (0 to 2)");
  }

  @Test
  void aGapIsReportedAsMissingBlocksAndTheBlockAfterItStillHasItsSignatureChecked(@TempDir Path dir)
      throws Exception {
    Cli.Result r = verify(folder(dir, 0, 1, 2, 725));

    assertThat(r.exit()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
    assertThat(r.out())
        .contains("FAILED GAP: blocks 3 to 724 are missing between block-2.pb and block-725.pb")
        .contains("block 725 (block-725.pb): ok");
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).contains("1 failure(s)").contains("GAP");
  }

  @Test
  void oneFlippedDataByteFailsTheDataHashOfThatBlockOnly(@TempDir Path dir) throws Exception {
    folder(dir, 0, 2);
    Block b = block(1);
    byte[] first = b.getData().getData(0).toByteArray();
    first[first.length / 2] ^= 1;
    Block tampered =
        b.toBuilder()
            .setData(b.getData().toBuilder().setData(0, ByteString.copyFrom(first)))
            .build();
    Files.write(dir.resolve("block-1.pb"), tampered.toByteArray());

    Cli.Result r = verify(dir);

    assertThat(r.exit()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
    assertThat(r.out())
        .contains("block 1 (block-1.pb): FAILED DATA_HASH: header data_hash")
        .contains("block 2 (block-2.pb): ok");
    assertThat(r.err()).contains("first: block 1 (block-1.pb): FAILED DATA_HASH");
  }

  @Test
  void aForgedOrdererSignatureFailsTheBlockValidationPolicy(@TempDir Path dir) throws Exception {
    folder(dir, 0, 1);
    Block b = block(2);
    Metadata m = Metadata.parseFrom(b.getMetadata().getMetadata(0));
    byte[] sig = m.getSignatures(0).getSignature().toByteArray();
    sig[sig.length - 1] ^= 1;
    Metadata forged =
        m.toBuilder()
            .setSignatures(0, m.getSignatures(0).toBuilder().setSignature(ByteString.copyFrom(sig)))
            .build();
    Block tampered =
        b.toBuilder()
            .setMetadata(b.getMetadata().toBuilder().setMetadata(0, forged.toByteString()))
            .build();
    Files.write(dir.resolve("block-2.pb"), tampered.toByteArray());

    Cli.Result r = verify(dir);

    assertThat(r.exit()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
    assertThat(r.out())
        .contains("block 2 (block-2.pb): FAILED SIGNATURE_POLICY")
        .contains("BlockValidation");
  }

  @Test
  void aBlockThatDoesNotChainToTheOneBeforeFailsThePreviousHash(@TempDir Path dir)
      throws Exception {
    folder(dir, 0, 2);
    // block 2 stands in for block 1: its previous hash is block 1's, not block 0's
    Block b = block(2);
    Block renumbered = b.toBuilder().setHeader(b.getHeader().toBuilder().setNumber(1)).build();
    Files.write(dir.resolve("block-1.pb"), renumbered.toByteArray());

    Cli.Result r = verify(dir);

    assertThat(r.exit()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
    assertThat(r.out()).contains("block 1 (block-1.pb): FAILED PREVIOUS_HASH");
  }

  @Test
  void aFileWhoseNameClaimsAnotherNumberIsReported(@TempDir Path dir) throws Exception {
    folder(dir, 0, 1);
    Files.copy(NETWORK.resolve("block-2.pb"), dir.resolve("mychannel_5.block"));

    Cli.Result r = verify(dir);

    assertThat(r.exit()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
    assertThat(r.out())
        .contains("block 2 (mychannel_5.block): FAILED FILE_NAME: the file's name says block 5");
  }

  @Test
  void withoutAConfigBlockToStartFromNothingIsVerified(@TempDir Path dir) throws Exception {
    Cli.Result r = verify(folder(dir, 1, 2));

    assertThat(r.exit()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
    assertThat(r.out())
        .contains("block 1 (block-1.pb): FAILED CONFIG: the first block is not a config block")
        .contains("block 0 is its last config block")
        .doesNotContain(": ok");
  }

  @Test
  void quietPrintsOnlyFailuresAndTheSummary(@TempDir Path dir) throws Exception {
    Cli.Result r = Cli.run("blocks", "verify", "--quiet", folder(dir, 0, 1, 2).toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out().lines())
        .containsExactly("channel mychannel: all 3 blocks verified (0 to 2)");
  }

  @Test
  void aFolderWithoutBlockFilesIsOneLine(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("README.txt"), "no blocks here");
    String err = assertOneLineError(verify(dir), ExitCodes.ERROR);
    assertThat(err).contains("no block files (*.pb, *.block) in " + dir);
  }

  @Test
  void aMissingFolderIsOneLine(@TempDir Path dir) {
    String err = assertOneLineError(verify(dir.resolve("nope")), ExitCodes.ERROR);
    assertThat(err).contains(dir.resolve("nope").toString()).contains("does not exist");
  }

  @Test
  void aCorruptBlockFileIsOneLineNamingIt(@TempDir Path dir) throws Exception {
    folder(dir, 0);
    Files.write(dir.resolve("block-1.pb"), new byte[] {(byte) 0xff, (byte) 0xff, 0x01});
    String err = assertOneLineError(verify(dir), ExitCodes.ERROR);
    assertThat(err).contains("block-1.pb").contains("is not a block");
  }
}

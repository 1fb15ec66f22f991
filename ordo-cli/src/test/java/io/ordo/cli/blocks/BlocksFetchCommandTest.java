package io.ordo.cli.blocks;

import static io.ordo.cli.ExpectedErrors.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ordo.cli.Cli;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.testing.Args;
import io.ordo.cli.testing.FakeOrderer;
import io.ordo.cli.testing.TestMaterial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlocksFetchCommandTest {
  @TempDir static Path crypto;
  private static TestMaterial material;

  @BeforeAll
  static void material() {
    material = TestMaterial.generate(crypto);
  }

  private static String[] args(String orderer, String... more) {
    return Args.of("blocks", "fetch", "-o", orderer, "--channel", "mychannel")
        .and(material.clientFlags())
        .and(more)
        .array();
  }

  private static void appendBlocks(FakeOrderer orderer, int count) {
    for (int i = 1; i <= count; i++) {
      orderer.appendBlock(List.of(ByteString.copyFromUtf8("tx " + i)));
    }
  }

  @Test
  void theRangeIsWrittenAsBlockNFilesThatBlockFilesReadBackWithTheirNumbers(@TempDir Path out)
      throws Exception {
    try (FakeOrderer orderer = new FakeOrderer(material, 10, txId -> false)) {
      appendBlocks(orderer, 5);

      Cli.Result r =
          Cli.run(args(orderer.address(), "--from", "1", "--to", "3", "--output", out.toString()));

      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).contains("wrote 3 blocks");
      try (var files = Files.list(out)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder("block-1.pb", "block-2.pb", "block-3.pb");
      }
      List<BlockFile> read = BlockFiles.read(out);
      for (BlockFile f : read) {
        assertThat(f.numberInName()).hasValue(f.number());
        Block served = orderer.blocks().get((int) f.number());
        assertThat(Files.readAllBytes(out.resolve(BlocksFetchCommand.fileName(f.number()))))
            .isEqualTo(served.toByteArray());
      }
    }
  }

  @Test
  void blocksNotWrittenYetAreWaitedForUntilTheTimeout(@TempDir Path out) throws Exception {
    try (FakeOrderer orderer = new FakeOrderer(material, 10, txId -> false)) {
      appendBlocks(orderer, 2);

      Cli.Result r =
          Cli.run(
              args(
                  orderer.address(),
                  "--from",
                  "0",
                  "--to",
                  "9",
                  "--timeout",
                  "3s",
                  "--output",
                  out.toString()));

      String err = assertOneLineError(r, ExitCodes.ERROR);
      assertThat(err).contains("sent 3 of blocks 0 to 9").contains(orderer.address());
      assertThat(out.resolve("block-2.pb")).isRegularFile();
    }
  }

  @Test
  void anUnreachableOrdererIsOneLineAndExitOne(@TempDir Path out) throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Cli.Result r = Cli.run(args("127.0.0.1:" + port, "--to", "1", "--output", out.toString()));

    String err = assertOneLineError(r, ExitCodes.ERROR);
    assertThat(err).contains("cannot fetch from 127.0.0.1:" + port).contains("UNAVAILABLE");
  }

  @Test
  void aMissingToIsAUsageError() {
    Cli.Result r = Cli.run(args("127.0.0.1:7050"));

    String err = assertOneLineError(r, ExitCodes.USAGE);
    assertThat(err).contains("--to");
  }
}

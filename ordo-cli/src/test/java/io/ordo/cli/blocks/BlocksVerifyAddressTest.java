package io.ordo.cli.blocks;

import static io.ordo.cli.ExpectedErrors.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ordo.cli.Cli;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.TestData;
import io.ordo.cli.testing.Args;
import io.ordo.cli.testing.FakeOrderer;
import io.ordo.cli.testing.TestMaterial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ordo blocks verify ADDR}: the chain a live orderer delivers, verified as it arrives. */
class BlocksVerifyAddressTest {
  private static final Path NETWORK = TestData.network();
  @TempDir static Path crypto;
  private static TestMaterial material;

  @BeforeAll
  static void material() {
    material = TestMaterial.generate(crypto);
  }

  private static List<Block> chain(int count) throws Exception {
    List<Block> blocks = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      blocks.add(Block.parseFrom(Files.readAllBytes(NETWORK.resolve("block-" + n + ".pb"))));
    }
    return blocks;
  }

  private static Cli.Result verify(String address, String... more) {
    return Cli.run(
        Args.of("blocks", "verify", address, "--channel", "mychannel")
            .and(material.clientFlags())
            .and("--timeout", "20s")
            .and(more)
            .array());
  }

  @Test
  void theWholeChainOfALiveOrdererIsDeliveredAndVerified() throws Exception {
    try (FakeOrderer orderer = FakeOrderer.serving(material, chain(3))) {
      Cli.Result r = verify(orderer.address());

      assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.OK);
      assertThat(r.out())
          .contains("block 0: ok, genesis block of channel mychannel")
          .contains("block 2: ok, 500 envelope(s)")
          .contains(orderer.address() + ": channel mychannel: all 3 blocks verified (0 to 2)");
      assertThat(orderer.seeks()).hasSize(1);
    }
  }

  @Test
  void severalOrderersAreEachVerifiedAndTheirChainsCompared() throws Exception {
    try (FakeOrderer one = FakeOrderer.serving(material, chain(3));
        FakeOrderer behind = FakeOrderer.serving(material, chain(2))) {
      Cli.Result r =
          Cli.run(
              Args.of("blocks", "verify", "-o", one.address() + "," + behind.address())
                  .and("--channel", "mychannel")
                  .and(material.clientFlags())
                  .and("-q")
                  .array());

      assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.OK);
      assertThat(r.out())
          .contains(one.address() + ": channel mychannel: all 3 blocks verified")
          .contains(behind.address() + ": channel mychannel: all 2 blocks verified")
          .contains("identical chains on 2 orderers (heights 3, 2)")
          .doesNotContain(": ok,");
    }
  }

  @Test
  void aDeliveredBlockWithAFlippedDataByteIsNamedWithTheCheckItFails() throws Exception {
    List<Block> blocks = chain(3);
    Block b = blocks.get(1);
    byte[] first = b.getData().getData(0).toByteArray();
    first[first.length / 2] ^= 1;
    blocks.set(
        1,
        b.toBuilder()
            .setData(b.getData().toBuilder().setData(0, ByteString.copyFrom(first)))
            .build());
    try (FakeOrderer orderer = FakeOrderer.serving(material, blocks)) {
      Cli.Result r = verify(orderer.address());

      String err = assertOneLineError(r, ExitCodes.VERIFICATION_FAILED);
      assertThat(err)
          .contains(orderer.address())
          .contains("first: block 1: FAILED DATA_HASH: header data_hash");
      assertThat(r.out()).contains("block 2: ok");
    }
  }

  @Test
  void aChainThatDoesNotStartAtAConfigBlockFailsAtBlockZero() throws Exception {
    try (FakeOrderer orderer = new FakeOrderer(material, 10, txId -> false)) {
      Cli.Result r = verify(orderer.address());

      String err = assertOneLineError(r, ExitCodes.VERIFICATION_FAILED);
      assertThat(err).contains("block 0: FAILED CONFIG: the first block is not a config block");
    }
  }

  @Test
  void anUnreachableOrdererIsOneLineAndExitOne() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String err = assertOneLineError(verify("127.0.0.1:" + port), ExitCodes.ERROR);
    assertThat(err).contains("cannot fetch from 127.0.0.1:" + port).contains("UNAVAILABLE");
  }

  @Test
  void aBadChannelNameIsAUsageErrorBeforeAnythingIsSent() {
    Cli.Result r =
        Cli.run(
            Args.of("blocks", "verify", "127.0.0.1:7050", "--channel", "My_Channel")
                .and(material.clientFlags())
                .array());

    String err = assertOneLineError(r, ExitCodes.USAGE);
    assertThat(err).contains("channel ID 'My_Channel' is not valid");
  }

  @Test
  void withNeitherFolderNorOrdererTheUsageErrorSaysWhatIsMissing() {
    String err = assertOneLineError(Cli.run("blocks", "verify"), ExitCodes.USAGE);
    assertThat(err).contains("Missing DIR or ADDR");
  }

  @Test
  void nodeWithoutNetworkIsAUsageError() {
    String err =
        assertOneLineError(
            Cli.run("blocks", "verify", "127.0.0.1:7050", "--node", "orderer1"), ExitCodes.USAGE);
    assertThat(err).contains("--node needs --network");
  }

  @Test
  void anUnknownNodeOfTheNetworkNamesTheNodesThereAre(@TempDir Path net) throws Exception {
    Files.writeString(
        net.resolve("network.json"),
        """
        {"channel": "mychannel", "tls_ca_file": "%s",
         "client": {"msp_dir": "%s", "msp_id": "Org1MSP"},
         "nodes": [{"name": "orderer1.example.com", "raft_id": 1, "client": "127.0.0.1:7050"}]}
        """
            .formatted(material.tlsCa(), material.clientMsp()));

    String err =
        assertOneLineError(
            Cli.run("blocks", "verify", "--network", net.toString(), "--node", "orderer9"),
            ExitCodes.ERROR);
    assertThat(err).contains("no node 'orderer9'").contains("orderer1.example.com (raft ID 1)");
  }
}

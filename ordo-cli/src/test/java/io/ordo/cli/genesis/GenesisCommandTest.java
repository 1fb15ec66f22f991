package io.ordo.cli.genesis;

import static io.ordo.cli.ExpectedErrors.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.cli.Cli;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.TestData;
import io.ordo.fabric.block.BlockHashing;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.crypto.CryptoProvider;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.crypto.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenesisCommandTest {
  private static final Path NETWORK = TestData.network();
  private static final String PROFILE = "AppChannelEtcdRaft";

  /** {@code ordo genesis} with the configtx.yaml of {@code configPath}, for channel mychannel. */
  private static Cli.Result genesis(Path configPath, String profile, Path out) {
    return Cli.run(
        "genesis",
        "--configPath",
        configPath.toString(),
        "--profile",
        profile,
        "--channelID",
        "mychannel",
        "--outputBlock",
        out.toString());
  }

  private static Block read(Path f) throws Exception {
    return Block.parseFrom(Files.readAllBytes(f));
  }

  @Test
  void withConfigPathTheBlocksConfigIsConfigtxgensValueForValue(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("genesis.block");
    Cli.Result r = genesis(NETWORK, PROFILE, out);

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("mychannel").contains(out.toString());
    Block ours = read(out);
    Config expected = ChannelConfigLoader.configOf(read(NETWORK.resolve("block-0.pb")));
    assertThat(ChannelConfigLoader.configOf(ours)).isEqualTo(expected);
    assertThat(ours.getHeader().getNumber()).isZero();
    assertThat(ours.getHeader().getDataHash().toByteArray())
        .isEqualTo(BlockHashing.dataHash(ours.getData()));
  }

  @Test
  void fabricCfgPathIsTheDefaultConfigPathAsInConfigtxgen(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("genesis.block");
    Cli.Result r =
        Cli.run(
            Map.of("FABRIC_CFG_PATH", NETWORK.toString()),
            false,
            "genesis",
            "-profile",
            PROFILE,
            "-channelID",
            "mychannel",
            "-outputBlock",
            out.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(ChannelConfigLoader.configOf(read(out)))
        .isEqualTo(ChannelConfigLoader.configOf(read(NETWORK.resolve("block-0.pb"))));
  }

  @Test
  void aCopyOfTheFolderWithGeneratedCryptoGivesABlockOfTheNewMaterial(@TempDir Path dir)
      throws Exception {
    Files.copy(NETWORK.resolve("configtx.yaml"), dir.resolve("configtx.yaml"));
    assertThat(
            Cli.run(
                    "crypto", "generate",
                    "--config", NETWORK.resolve("crypto-config.yaml").toString(),
                    "--output", dir.resolve("crypto").toString())
                .exit())
        .isZero();
    Path out = dir.resolve("channel-artifacts/mychannel.block");
    Cli.Result r = genesis(dir, PROFILE, out);

    assertThat(r.exit()).as(r.err()).isZero();
    ChannelConfig config =
        new ChannelConfigLoader(new Ecdsa(CryptoProvider.jdk())).fromConfigBlock(read(out));
    var consenters = config.orderer().etcdRaft().orElseThrow().consenters();
    assertThat(consenters).hasSize(3);
    byte[] generatedTls =
        Files.readAllBytes(
            dir.resolve(
                "crypto/ordererOrganizations/example.com/orderers/orderer1.example.com/tls/server.crt"));
    assertThat(consenters.get(0).serverTlsCert()).isEqualTo(generatedTls);
    assertThat(Pem.certificate(generatedTls)).isNotNull();
  }

  @Test
  void anUnknownProfileListsTheProfilesThereAre(@TempDir Path dir) {
    String err =
        assertOneLineError(genesis(NETWORK, "NoSuchProfile", dir.resolve("b")), ExitCodes.ERROR);
    assertThat(err).contains("unknown profile 'NoSuchProfile'").contains(PROFILE);
    assertThat(dir.resolve("b")).doesNotExist();
  }

  @Test
  void badYamlIsReportedWithItsLineNumber(@TempDir Path dir) throws Exception {
    var lines = new java.util.ArrayList<>(Files.readAllLines(NETWORK.resolve("configtx.yaml")));
    lines.set(6, lines.get(6) + " ]: [");
    Files.write(dir.resolve("configtx.yaml"), lines);
    String err = assertOneLineError(genesis(dir, PROFILE, dir.resolve("b")), ExitCodes.ERROR);
    assertThat(err)
        .contains("configtx.yaml: not valid YAML at line 7, column")
        .contains("not valid YAML");
  }

  @Test
  void aMissingMspFolderNamesTheProfileAndTheFolder(@TempDir Path dir) throws Exception {
    // the copy's relative crypto paths point at nothing
    Files.copy(NETWORK.resolve("configtx.yaml"), dir.resolve("configtx.yaml"));
    String err = assertOneLineError(genesis(dir, PROFILE, dir.resolve("b")), ExitCodes.ERROR);
    assertThat(err).contains("profile " + PROFILE).contains(dir.resolve("crypto").toString());
  }

  @Test
  void aFolderWithoutConfigtxYamlSaysWhereItLooked(@TempDir Path dir) {
    String err = assertOneLineError(genesis(dir, PROFILE, dir.resolve("b")), ExitCodes.ERROR);
    assertThat(err).contains("no configtx.yaml in " + dir).contains("--configPath");
  }

  @Test
  void aMissingChannelIdIsAUsageError(@TempDir Path dir) {
    String err =
        assertOneLineError(
            Cli.run(
                "genesis",
                "--configPath",
                NETWORK.toString(),
                "--profile",
                PROFILE,
                "--outputBlock",
                dir.resolve("b").toString()),
            ExitCodes.USAGE);
    assertThat(err).contains("--channelID");
  }
}

package io.ordo.cli;

import static io.ordo.cli.ExpectedErrors.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.cli.testing.Args;
import io.ordo.cli.testing.TestMaterial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every tool with input it cannot use: one line on stderr naming the problem, a non-zero exit, no
 * stack trace. (Each tool's own test class holds the cases particular to it.)
 */
class BadInputTest {
  @TempDir static Path crypto;
  private static TestMaterial material;

  @BeforeAll
  static void material() {
    material = TestMaterial.generate(crypto);
  }

  /** Every runnable command, as the words that name it. */
  static Stream<List<String>> commands() {
    return Stream.of(
        List.of("crypto", "generate"),
        List.of("genesis"),
        List.of("orderer", "start"),
        List.of("network", "up"),
        List.of("network", "down"),
        List.of("network", "status"),
        List.of("bench"),
        List.of("blocks", "fetch"),
        List.of("blocks", "inspect"),
        List.of("blocks", "verify"),
        List.of("channel", "join"),
        List.of("channel", "list"),
        List.of("channel", "remove"),
        List.of("config", "show"),
        List.of("config", "update"),
        List.of("config", "sign"),
        List.of("config", "submit"),
        List.of("consenter", "add"),
        List.of("consenter", "remove"),
        List.of("consenter", "rotate"),
        List.of("orderer-endpoints", "set"));
  }

  @ParameterizedTest(name = "ordo {0}")
  @MethodSource("commands")
  void anUnknownFlagIsAUsageErrorNamingTheCommandAndItsHelp(List<String> command) {
    List<String> args = new ArrayList<>(command);
    args.add("--no-such-flag");

    String err = assertOneLineError(Cli.run(args.toArray(String[]::new)), ExitCodes.USAGE);

    String name = "ordo " + String.join(" ", command);
    assertThat(err).startsWith(name + ": ").contains("--no-such-flag").contains(name + " --help");
  }

  /** Runs {@code command} with the client flags of the test material after it. */
  private static Cli.Result withClient(String... command) {
    return Cli.run(Args.of(command).and(material.clientFlags()).array());
  }

  /** {@code ordo blocks fetch} from an orderer nothing is asked of, with the client flags. */
  private static Cli.Result fetch(String... flags) {
    return withClient(Args.of("blocks", "fetch", "-o", "127.0.0.1:7050").and(flags).array());
  }

  @Test
  void aBadChannelNameIsAUsageErrorForEveryToolThatTakesOne(@TempDir Path dir) {
    List<Cli.Result> runs =
        List.of(
            withClient("bench", "-o", "127.0.0.1:7050", "--channel", "Bad_Name"),
            fetch("--channel", "Bad_Name", "--to", "1"),
            Cli.run(
                "genesis",
                "--configPath",
                TestData.network().toString(),
                "--profile",
                "P",
                "--channelID",
                "Bad_Name",
                "--outputBlock",
                dir.resolve("b").toString()),
            Cli.run("channel", "list", "-o", "127.0.0.1:7053", "-c", "Bad_Name"));
    for (Cli.Result r : runs) {
      assertThat(assertOneLineError(r, ExitCodes.USAGE))
          .contains("channel ID 'Bad_Name' is not valid");
    }
    assertThat(dir.resolve("b")).doesNotExist();
  }

  @Test
  void aMissingTlsCaFileIsOneLineNamingIt(@TempDir Path dir) {
    Path missing = dir.resolve("tlsca.pem");
    for (List<String> command :
        List.of(
            List.of("bench", "--tx", "1"),
            List.of("blocks", "fetch", "--to", "1"),
            List.of("blocks", "verify", "127.0.0.1:7050"))) {
      String[] args =
          Args.of()
              .and(command)
              .and("-o", "127.0.0.1:7050", "--channel", "mychannel", "--ca", missing.toString())
              .and("--msp", material.clientMsp().toString(), "--mspid", TestMaterial.CLIENT_MSP_ID)
              .array();
      String err = assertOneLineError(Cli.run(args), ExitCodes.ERROR);
      assertThat(err).as("%s", command).contains("TLS CA file " + missing + " does not exist");
    }
  }

  @Test
  void aMissingMspFolderIsOneLineNamingIt(@TempDir Path dir) {
    Path missing = dir.resolve("msp");
    Cli.Result r =
        Cli.run(
            "bench",
            "-o",
            "127.0.0.1:7050",
            "--channel",
            "mychannel",
            "--ca",
            material.tlsCa().toString(),
            "--msp",
            missing.toString(),
            "--mspid",
            "Org1MSP");
    assertThat(assertOneLineError(r, ExitCodes.ERROR))
        .contains("MSP folder " + missing + " does not exist");
  }

  @Test
  void anOrdererYamlThatIsNotYamlNamesTheLine(@TempDir Path dir) throws Exception {
    Path yaml = dir.resolve("orderer.yaml");
    Files.writeString(yaml, "General:\n  ListenAddress: 127.0.0.1\n  ListenPort: [7050\n");

    String err =
        assertOneLineError(
            Cli.run("orderer", "start", "--config", yaml.toString()), ExitCodes.ERROR);
    assertThat(err).contains("orderer.yaml").containsPattern("line [34]");
  }

  @Test
  void fromAfterToIsAUsageError() {
    Cli.Result r = fetch("--channel", "mychannel", "--from", "5", "--to", "2");
    assertThat(assertOneLineError(r, ExitCodes.USAGE)).contains("--from and --to");
  }

  @Test
  void zeroChannelsIsAUsageError(@TempDir Path dir) {
    Cli.Result r = Cli.run("network", "up", "--channels", "0", "--dir", dir.toString());
    assertThat(assertOneLineError(r, ExitCodes.USAGE)).contains("--channels");
  }

  @Test
  void aNonNumericFlagValueIsAUsageErrorNamingTheFlag() {
    Cli.Result r = withClient("bench", "-o", "127.0.0.1:7050", "--tx", "many");
    assertThat(assertOneLineError(r, ExitCodes.USAGE)).contains("--tx").contains("many");
  }
}

package io.ordo.cli.channel;

import static io.ordo.cli.ExpectedErrors.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.cli.Cli;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.TestData;
import io.ordo.cli.testing.Args;
import io.ordo.cli.testing.TestMaterial;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ordo channel} with bad input: one line, a non-zero exit, nothing sent. */
class ChannelCommandInputTest {
  @TempDir static Path crypto;
  private static TestMaterial material;

  @BeforeAll
  static void material() {
    material = TestMaterial.generate(crypto);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort(); // closed again: nothing listens there
    }
  }

  /** The one-line error of {@code ordo channel SUBCOMMAND -o ADDR FLAGS...}, or a failed test. */
  private static String errorOf(int exit, String subcommand, String address, String... flags) {
    return assertOneLineError(
        Cli.run(Args.of("channel", subcommand, "-o", address).and(flags).array()), exit);
  }

  @Test
  void aMissingConfigBlockIsOneLineNamingTheFile(@TempDir Path dir) {
    Path missing = dir.resolve("mychannel.block");
    String err =
        errorOf(
            ExitCodes.ERROR, "join", "127.0.0.1:1", "-c", "mychannel", "-b", missing.toString());
    assertThat(err).contains("config block " + missing).contains("does not exist");
  }

  @Test
  void aConfigBlockOfAnotherChannelIsRefusedBeforeAnythingIsSent() {
    Path genesis = TestData.network().resolve("block-0.pb");
    String err =
        errorOf(
            ExitCodes.ERROR, "join", "127.0.0.1:1", "-c", "otherchannel", "-b", genesis.toString());
    assertThat(err).contains("--channelID otherchannel does not match channel mychannel");
  }

  @Test
  void aFileThatIsNotABlockIsOneLine(@TempDir Path dir) throws Exception {
    Path junk = Files.write(dir.resolve("x.block"), new byte[] {(byte) 0xff, 0x01, 0x02});
    String err =
        errorOf(ExitCodes.ERROR, "join", "127.0.0.1:1", "-c", "mychannel", "-b", junk.toString());
    assertThat(err).contains(junk.toString()).contains("is not a block");
  }

  @Test
  void aBadChannelNameIsAUsageError() {
    String err = errorOf(ExitCodes.USAGE, "remove", "127.0.0.1:1", "-c", "MyChannel");
    assertThat(err).contains("channel ID 'MyChannel' is not valid");
  }

  @Test
  void anUnreachableAdminEndpointIsOneLineAndExitOne() throws Exception {
    int port = freePort();
    String err =
        errorOf(
            ExitCodes.ERROR,
            "list",
            "127.0.0.1:" + port,
            "--ca-file",
            material.tlsCa().toString(),
            "--client-cert",
            material.serverCert().toString(),
            "--client-key",
            material.serverKey().toString());
    assertThat(err)
        .contains("cannot reach the admin endpoint 127.0.0.1:" + port)
        .contains("connection refused");
  }

  @Test
  void aMissingCaFileIsOneLineNamingIt(@TempDir Path dir) {
    Path missing = dir.resolve("ca.crt");
    String err = errorOf(ExitCodes.ERROR, "list", "127.0.0.1:1", "--ca-file", missing.toString());
    assertThat(err).contains("TLS CA file " + missing).contains("does not exist");
  }

  @Test
  void withoutAnAddressOrNetworkTheUsageErrorSaysWhichFlag() {
    String err = assertOneLineError(Cli.run("channel", "list"), ExitCodes.USAGE);
    assertThat(err).contains("-o/--orderer-address").contains("--network");
  }

  @Test
  void aClientCertificateWithoutItsKeyIsAUsageError() {
    String err =
        errorOf(
            ExitCodes.USAGE,
            "list",
            "127.0.0.1:1",
            "--ca-file",
            material.tlsCa().toString(),
            "--client-cert",
            material.serverCert().toString());
    assertThat(err).contains("--client-cert and --client-key go together");
  }

  @Test
  void joinWithoutItsConfigBlockIsAUsageErrorNamingTheFlag() {
    String err = errorOf(ExitCodes.USAGE, "join", "127.0.0.1:1", "-c", "mychannel");
    assertThat(err).contains("--config-block");
  }

  @Test
  void everyChannelSubcommandsHelpListsTheExitCodesOfTheParticipationCalls() {
    for (String subcommand : List.of("join", "list", "remove")) {
      Cli.Result r = Cli.run("channel", subcommand, "--help");
      assertThat(r.exit()).as(subcommand).isEqualTo(ExitCodes.OK);
      assertThat(r.out())
          .as(subcommand)
          .contains("Exit codes:")
          .contains("0   every orderer answered 2xx")
          .contains("1   an input could not be used, an orderer could not be reached, or")
          .contains("2   wrong usage");
    }
  }

  @Test
  void aMalformedAddressIsOneLine() {
    String err = errorOf(ExitCodes.ERROR, "list", "localhost");
    assertThat(err).contains("'localhost' is not host:port");
  }
}

package io.ordo.cli;

import static io.ordo.cli.ExpectedErrors.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrorReportingTest {
  private static final String ESC = "\u001b[";

  @Test
  void anUnknownCommandIsAUsageErrorWithASuggestion() {
    String err = assertOneLineError(Cli.run("genesys"), ExitCodes.USAGE);
    assertThat(err).startsWith("ordo: ").contains("genesys").contains("did you mean genesis");
  }

  @Test
  void anUnknownFlagIsAUsageErrorNamingTheCommand() {
    String err = assertOneLineError(Cli.run("blocks", "verify", "--deep", "x"), ExitCodes.USAGE);
    assertThat(err).startsWith("ordo blocks verify: ").contains("--deep");
  }

  @Test
  void aGroupWithoutItsSubcommandIsAUsageError() {
    String err = assertOneLineError(Cli.run("blocks"), ExitCodes.USAGE);
    assertThat(err).contains("Missing required subcommand").contains("ordo blocks --help");
  }

  @Test
  void verboseAddsTheStackTraceToAnExpectedError(@TempDir Path dir) {
    Cli.Result r = Cli.run("blocks", "inspect", "--verbose", dir.resolve("x.pb").toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.errLines().getFirst()).contains("x.pb").contains("does not exist");
    assertThat(r.err()).contains("CommandFailedException").contains("\tat ");
  }

  @Test
  void helpListsTheToolsAndExitsZero() {
    Cli.Result r = Cli.run("--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("crypto").contains("genesis").contains("blocks");
  }

  @Test
  void noColourWhenNotOnATerminal(@TempDir Path dir) {
    Cli.Result plain = Cli.run(Map.of(), false, "blocks", "inspect", dir.resolve("x").toString());
    assertThat(plain.err()).doesNotContain(ESC);
    assertThat(Cli.run(Map.of(), false, "--help").out()).doesNotContain(ESC);
  }

  @Test
  void colourOnATerminal(@TempDir Path dir) {
    Cli.Result coloured = Cli.run(Map.of(), true, "blocks", "inspect", dir.resolve("x").toString());
    assertThat(coloured.err()).contains(ESC);
    assertThat(coloured.exit()).isEqualTo(ExitCodes.ERROR);
  }

  @Test
  void ciOrNoColourInTheEnvironmentMeansPlainOutput() {
    // CliContext.system() decides; here the rule itself
    assertThat(new CliContext(Map.of(), false).style().colour()).isFalse();
    assertThat(new CliContext(Map.of(), true).style().colour()).isTrue();
    assertThat(MessageText.oneLine("a\n   b\r\nc  ")).isEqualTo("a b c");
  }
}

package io.ordo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OrdoCommandTest {
  private final CliContext context = new CliContext(Map.of(), false);

  @Test
  void aRunNamingItsCommandMeetsOnlyThatOne() {
    CommandLine genesis =
        OrdoCommand.commandLine(context, new String[] {"-v", "genesis", "--profile", "P"});
    assertThat(genesis.getSubcommands()).containsOnlyKeys("genesis");
  }

  @Test
  void helpCompletionAndUnknownWordsMeetEveryCommand() {
    for (String[] args :
        new String[][] {{}, {"--help"}, {"help", "genesis"}, {"completion"}, {"nonsense"}}) {
      assertThat(OrdoCommand.commandLine(context, args).getSubcommands())
          .as("%s", (Object) args)
          .hasSize(OrdoCommand.SUBCOMMANDS.size());
    }
  }
}

package io.ordo.cli.blocks;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ordo blocks}: reading and checking block files. */
@Command(
    name = "blocks",
    mixinStandardHelpOptions = true,
    description = "Fetch, inspect and verify Fabric blocks.",
    subcommands = {BlocksFetchCommand.class, BlocksInspectCommand.class, BlocksVerifyCommand.class})
public final class BlocksCommand implements Runnable {
  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}

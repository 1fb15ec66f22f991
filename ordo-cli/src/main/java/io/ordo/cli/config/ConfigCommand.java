package io.ordo.cli.config;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ordo config}: a channel's config, shown and changed in one command each. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description =
        "Show a channel's config as configtxlator does, and change it: the update computed,"
            + " checked, signed and submitted, and its config block waited for.",
    subcommands = {
      ConfigShowCommand.class,
      ConfigUpdateCommand.class,
      ConfigSignCommand.class,
      ConfigSubmitCommand.class
    })
public final class ConfigCommand implements Runnable {
  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}

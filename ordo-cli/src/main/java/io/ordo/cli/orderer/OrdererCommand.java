package io.ordo.cli.orderer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ordo orderer}: running an orderer node. */
@Command(
    name = "orderer",
    mixinStandardHelpOptions = true,
    description = "Run an Ordo orderer node, or drain it of its leaderships.",
    subcommands = {OrdererStartCommand.class, OrdererDrainCommand.class})
public final class OrdererCommand implements Runnable {
  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}

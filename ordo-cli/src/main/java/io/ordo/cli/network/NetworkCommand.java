package io.ordo.cli.network;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ordo network}: a local ordering service of several node processes on loopback. */
@Command(
    name = "network",
    mixinStandardHelpOptions = true,
    description = "Run a local Ordo ordering service (several nodes on this machine).",
    subcommands = {NetworkUpCommand.class, NetworkDownCommand.class, NetworkStatusCommand.class})
public final class NetworkCommand implements Runnable {
  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}

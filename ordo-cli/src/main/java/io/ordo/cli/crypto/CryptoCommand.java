package io.ordo.cli.crypto;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ordo crypto}: the group of cryptogen's commands. */
@Command(
    name = "crypto",
    mixinStandardHelpOptions = true,
    description = "Crypto material for a network, as Fabric's cryptogen makes it.",
    subcommands = {CryptoGenerateCommand.class})
public final class CryptoCommand implements Runnable {
  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}

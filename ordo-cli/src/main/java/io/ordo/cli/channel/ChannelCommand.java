package io.ordo.cli.channel;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ordo channel}: osnadmin's channel commands. */
@Command(
    name = "channel",
    mixinStandardHelpOptions = true,
    description =
        "Join, list and remove an orderer's channels through its channel participation API"
            + " (osnadmin channel); show or move a channel's leadership.",
    subcommands = {
      ChannelJoinCommand.class,
      ChannelListCommand.class,
      ChannelRemoveCommand.class,
      ChannelLeaderCommand.class
    })
public final class ChannelCommand implements Runnable {
  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}

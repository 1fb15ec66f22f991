package io.ordo.cli.channel;

import io.ordo.cli.CliContext;
import io.ordo.cli.client.ChannelIdArguments;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ordo channel remove}: osnadmin's; removes a channel from an orderer. */
@Command(
    name = "remove",
    mixinStandardHelpOptions = true,
    description = {
      "Remove an orderer from a channel (DELETE /participation/v1/channels/C): the node stops the"
          + " channel and deletes its ledger; the other consenters are not told (that needs a"
          + " config update).",
      "Prints the HTTP status as osnadmin does."
    })
public final class ChannelRemoveCommand implements Callable<Integer> {
  private final CliContext context;
  @Spec private CommandSpec spec;
  @Mixin private AdminOptions admin;

  @Option(
      names = {"-c", "--channelID"},
      required = true,
      paramLabel = "C",
      description = "The channel to remove.")
  private String channel;

  ChannelRemoveCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    ChannelIdArguments.check(spec.commandLine(), channel);
    return AdminCalls.run(
        spec.commandLine(), context, admin, (client, at) -> client.remove(at, channel));
  }
}

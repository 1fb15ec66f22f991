package io.ordo.cli.channel;

import io.ordo.cli.CliContext;
import io.ordo.cli.client.ChannelIdArguments;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ordo channel list}: osnadmin's; the channels of an orderer, or one in detail. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "List an orderer's channels (GET /participation/v1/channels), or with --channelID one"
          + " channel's status, consensus relation and height.",
      "Prints the HTTP status and the JSON answer as osnadmin does."
    })
public final class ChannelListCommand implements Callable<Integer> {
  private final CliContext context;
  @Spec private CommandSpec spec;
  @Mixin private AdminOptions admin;

  @Option(
      names = {"-c", "--channelID"},
      paramLabel = "C",
      description = "Only this channel, in detail.")
  private String channel;

  @Option(
      names = "--details",
      description =
          "Ordo only: each channel's status, consensus relation and height, and under \"ordo\""
              + " the consenters' certificates with their days to expiry and the ledger's first"
              + " block held and KeepBlocks (GET ...?details=true).")
  private boolean details;

  ChannelListCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    if (channel != null) {
      ChannelIdArguments.check(spec.commandLine(), channel);
    }
    return AdminCalls.run(
        spec.commandLine(),
        context,
        admin,
        (client, at) ->
            channel == null ? client.list(at, details) : client.channel(at, channel, details));
  }
}

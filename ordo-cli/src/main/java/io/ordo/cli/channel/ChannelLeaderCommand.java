package io.ordo.cli.channel;

import io.ordo.cli.CliContext;
import io.ordo.cli.client.ChannelIdArguments;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ordo channel leader}: shows or moves a channel's raft leadership (Ordo only). */
@Command(
    name = "leader",
    mixinStandardHelpOptions = true,
    description = {
      "Show which consenter leads a channel, as the orderer asked sees it, or with --to move the"
          + " leadership to another consenter (GET or POST /participation/v1/channels/C/leader,"
          + " a route Fabric's orderer does not have).",
      "A move may be asked of any consenter of the channel: it passes the request to the leader"
          + " through raft and answers once it sees the new leader (10 s at most; HTTP 409"
          + " otherwise). Prints the HTTP status and JSON as the other channel commands do."
    })
public final class ChannelLeaderCommand implements Callable<Integer> {
  private final CliContext context;
  @Spec private CommandSpec spec;
  @Mixin private AdminOptions admin;

  @Option(
      names = {"-c", "--channelID"},
      required = true,
      paramLabel = "C",
      description = "The channel.")
  private String channel;

  @Option(
      names = "--to",
      paramLabel = "CONSENTER",
      description =
          "Move the leadership to this consenter: its cluster endpoint (host:port) as the"
              + " channel config lists it, or its raft ID.")
  private String to;

  ChannelLeaderCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    ChannelIdArguments.check(spec.commandLine(), channel);
    if (to == null) {
      return AdminCalls.run(
          spec.commandLine(), context, admin, (client, at) -> client.leader(at, channel));
    }
    return AdminCalls.runOnOneNode(
        spec.commandLine(), context, admin, (client, at) -> client.moveLeader(at, channel, to));
  }
}

package io.ordo.cli.orderer;

import io.ordo.cli.CliContext;
import io.ordo.cli.channel.AdminCalls;
import io.ordo.cli.channel.AdminOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ordo orderer drain}: moves every leadership away from one orderer (Ordo only). */
@Command(
    name = "drain",
    mixinStandardHelpOptions = true,
    description = {
      "Drain an orderer before maintenance (POST /participation/v1/drain, a route Fabric's"
          + " orderer does not have): it hands the leadership of each channel it leads to another"
          + " consenter, waiting up to 30 s, then hands away at once any leadership an election"
          + " gives it and asks for none, until --end or until the process stops.",
      "Drain one orderer at a time: drained orderers hand leaderships to each other. Prints the"
          + " HTTP status and {\"drained\": ..., \"leading\": [channels still led]}."
    })
public final class OrdererDrainCommand implements Callable<Integer> {
  private final CliContext context;
  @Spec private CommandSpec spec;
  @Mixin private AdminOptions admin;

  @Option(
      names = "--end",
      description = "End the drain: the orderer takes its share of leaderships again.")
  private boolean end;

  OrdererDrainCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    return AdminCalls.runOnOneNode(
        spec.commandLine(), context, admin, (client, at) -> client.drain(at, !end));
  }
}

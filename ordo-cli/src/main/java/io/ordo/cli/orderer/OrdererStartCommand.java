package io.ordo.cli.orderer;

import io.ordo.cli.CliContext;
import io.ordo.orderer.server.OrdererMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ordo orderer start}: Fabric's {@code orderer start}. Runs one node from orderer.yaml until
 * SIGTERM; a start-up failure is one line and exit code 1.
 */
@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description = "Start an orderer node from orderer.yaml and run it until SIGTERM.")
public final class OrdererStartCommand implements Callable<Integer> {
  private final CliContext context;
  @Spec private CommandSpec spec;

  @Option(
      names = {"--config"},
      paramLabel = "FILE",
      description =
          "orderer.yaml, or the folder holding it (default: $FABRIC_CFG_PATH/orderer.yaml).")
  private String config;

  OrdererStartCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    List<String> args = new ArrayList<>();
    if (config != null) {
      args.add("--config");
      args.add(config);
    }
    return OrdererMain.run(
        args.toArray(String[]::new), context.env(), new OneLineWriter(spec.commandLine().getErr()));
  }
}

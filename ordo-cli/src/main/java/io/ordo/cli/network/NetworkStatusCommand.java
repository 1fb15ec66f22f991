package io.ordo.cli.network;

import io.ordo.cli.ExitCodes;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ordo network status}: the table of a network's nodes, each alive or not. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Print the nodes of a local network and whether each is running.")
public final class NetworkStatusCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private ExistingNetworkDir network;

  @Override
  public Integer call() {
    Path abs = network.existing();
    try (NetworkProbe probe = new NetworkProbe(abs, NetworkFile.read(abs))) {
      List<NetworkProbe.NodeState> states = probe.states();
      spec.commandLine().getOut().print(probe.table(states));
      spec.commandLine().getOut().flush();
      return states.stream().allMatch(NetworkProbe.NodeState::alive) ? ExitCodes.OK : 1;
    }
  }
}

package io.ordo.cli.network;

import io.ordo.cli.CommandFailedException;
import io.ordo.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ordo network status}: the table of a network's nodes, each alive or not. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Print the nodes of a local network and whether each is running.")
public final class NetworkStatusCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = {"--dir"},
      paramLabel = "DIR",
      defaultValue = NetworkUpCommand.DEFAULT_DIR,
      description = "The network's folder (default: ${DEFAULT-VALUE}).")
  private Path dir;

  @Override
  public Integer call() {
    Path abs = existingNetwork(dir);
    try (NetworkProbe probe = new NetworkProbe(abs, NetworkFile.read(abs))) {
      List<NetworkProbe.NodeState> states = probe.states();
      spec.commandLine().getOut().print(probe.table(states));
      spec.commandLine().getOut().flush();
      return states.stream().allMatch(NetworkProbe.NodeState::alive) ? ExitCodes.OK : 1;
    }
  }

  static Path existingNetwork(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    if (!Files.isRegularFile(abs.resolve(NetworkFile.FILE_NAME))) {
      throw new CommandFailedException(
          "no network in "
              + abs
              + " (no "
              + NetworkFile.FILE_NAME
              + "); start one with"
              + " ordo network up --dir "
              + dir);
    }
    return abs;
  }
}

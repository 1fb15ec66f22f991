package io.ordo.cli.network;

import io.ordo.cli.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ordo network down}: stops the nodes of a network started with {@code --detach}. */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = "Stop the nodes of a local network started with --detach.")
public final class NetworkDownCommand implements Callable<Integer> {
  static final Duration GRACE = Duration.ofSeconds(10);
  @Spec private CommandSpec spec;

  @Mixin private ExistingNetworkDir network;

  @Override
  public Integer call() {
    Path abs = network.existing();
    NodeProcesses processes = new NodeProcesses(abs);
    List<ProcessHandle> running = new ArrayList<>();
    List<String> names = processes.nodesWithPidFiles();
    for (String node : names) {
      processes.running(node).ifPresent(running::add);
    }
    int killed = NodeProcesses.stop(running, GRACE);
    names.forEach(processes::forget);
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "stopped "
            + running.size()
            + " node(s) of "
            + abs
            + (killed > 0 ? " (" + killed + " killed after " + GRACE.toSeconds() + " s)" : ""));
    out.flush();
    return ExitCodes.OK;
  }
}

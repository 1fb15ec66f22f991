package io.ordo.cli.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.cli.Cli;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.network.NetworkFile;
import io.ordo.cli.network.NodeProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Real networks that {@code ordo network up --detach} starts in a test's folder, and their end. */
public final class LocalNetworks {
  private LocalNetworks() {}

  /** Starts {@code nodes} detached nodes serving {@code channels} channels in {@code dir}. */
  public static NetworkFile upDetached(Path dir, int nodes, int channels) {
    Cli.Result up =
        Cli.run(
            Args.of("network", "up", "--detach", "--nodes", String.valueOf(nodes))
                .and("--channels", String.valueOf(channels), "--dir", dir.toString())
                .array());
    assertThat(up.exit()).as(up.err()).isEqualTo(ExitCodes.OK);
    return NetworkFile.read(dir);
  }

  /** Stops every node of {@code dir} still running, so that a failed test leaves no process. */
  public static void stopWhateverRuns(Path dir) {
    NodeProcesses processes = new NodeProcesses(dir);
    List<ProcessHandle> left =
        processes.nodesWithPidFiles().stream()
            .map(processes::running)
            .flatMap(Optional::stream)
            .toList();
    NodeProcesses.stop(left, Duration.ofSeconds(5));
  }
}

package io.ordo.interop;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The {@code ordo} command, each run as its own {@code java -jar ordo.jar} process. */
final class OrdoTools {
  private final OrdoJar ordo;
  private final ToolRunner runner;

  OrdoTools(OrdoJar ordo, ToolRunner runner) {
    this.ordo = ordo;
    this.runner = runner;
  }

  /** {@code ordo ARGS}, whatever it answers, within the usual bound of a tool. */
  ToolResult run(List<String> args) {
    return run(args, Stage.TOOL_TIMEOUT);
  }

  /** {@code ordo bench ARGS} within {@code timeout}, with the heap a long run needs. */
  ToolResult bench(List<String> args, Duration timeout) {
    return runner.run(ordo.benchCommand(args), Map.of(), timeout.plusSeconds(30));
  }

  /** {@code ordo ARGS} within {@code timeout} (a bench takes longer than a listing). */
  ToolResult run(List<String> args, Duration timeout) {
    return runner.run(ordo.command(args), Map.of(), timeout.plusSeconds(30));
  }
}

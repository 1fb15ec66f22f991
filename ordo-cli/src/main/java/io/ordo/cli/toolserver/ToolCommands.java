package io.ordo.cli.toolserver;

import io.ordo.cli.CliContext;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.OrdoCommand;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Runs one request's command as {@code ordo} would, in the request's folder and environment. */
final class ToolCommands {
  private ToolCommands() {}

  /** The command's exit code; its output goes to {@code out} and {@code err}. */
  static int run(ToolRequest request, PrintWriter out, PrintWriter err) {
    CliContext context =
        new CliContext(
            request.env(), CliContext.colour(request.terminal(), request.env()), request.cwd());
    String[] args = request.args().toArray(String[]::new);
    try {
      CommandLine cmd = OrdoCommand.commandLine(context, args);
      cmd.setOut(out);
      cmd.setErr(err);
      return cmd.execute(args);
    } catch (RuntimeException | StackOverflowError e) {
      // picocli reports a command's exceptions itself; this is what escapes it
      err.println("ordo: internal error in the tool server: " + e);
      return ExitCodes.INTERNAL;
    } finally {
      out.flush();
      err.flush();
    }
  }
}

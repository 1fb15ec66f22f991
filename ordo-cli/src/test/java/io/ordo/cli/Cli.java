package io.ordo.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs the ordo command in-process with captured output. */
public final class Cli {
  private Cli() {}

  /** What one run printed and returned. */
  public record Result(int exit, String out, String err) {
    /** The lines of stderr, for the one-line rule. */
    public java.util.List<String> errLines() {
      return err.lines().toList();
    }
  }

  public static Result run(String... args) {
    return run(Map.of(), false, args);
  }

  public static Result run(Map<String, String> env, boolean terminal, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cmd = OrdoCommand.commandLine(new CliContext(env, terminal));
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }
}

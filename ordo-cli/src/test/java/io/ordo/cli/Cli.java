package io.ordo.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.slf4j.LoggerFactory;

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
    if (args.length >= 2 && args[0].equals("orderer") && args[1].equals("start")) {
      restoreTestLogging();
    }
    return new Result(exit, out.toString(), err.toString());
  }

  /** A node's start sets up Fabric's logging for the whole JVM: the tests get theirs back. */
  private static void restoreTestLogging() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    try {
      new ContextInitializer(context).autoConfig();
    } catch (JoranException e) {
      throw new IllegalStateException("cannot read the test logging configuration again", e);
    }
  }
}

package io.ordo.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into one line on stderr and an exit code: wrong flags (exit 2), expected
 * errors raised as {@link CommandFailedException} (their own code), anything else as an internal
 * error (exit 70). The stack trace is printed only with {@code --verbose}.
 */
final class ErrorReporting implements IExecutionExceptionHandler, IParameterExceptionHandler {
  static final String VERBOSE = "--verbose";

  private final Style style;

  ErrorReporting(Style style) {
    this.style = style;
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    StringBuilder line = new StringBuilder(cmd.getCommandSpec().qualifiedName());
    List<String> unknown = cmd.getUnmatchedArguments();
    if (!(e instanceof UnmatchedArgumentException) && !unknown.isEmpty()) {
      // a missing required option is often the consequence of a mistyped one: name that first
      line.append(": Unknown option or parameter: '").append(unknown.getFirst()).append("'");
    } else {
      line.append(": ").append(MessageText.oneLine(e.getMessage()));
    }
    if (e instanceof UnmatchedArgumentException u) {
      List<String> suggestions = u.getSuggestions();
      if (!suggestions.isEmpty()) {
        line.append(" (did you mean ").append(String.join(" or ", suggestions)).append("?)");
      }
    }
    line.append(" - see '").append(cmd.getCommandSpec().qualifiedName()).append(" --help'");
    err.println(style.failure(line.toString()));
    if (verbose(args)) {
      e.printStackTrace(err);
    }
    err.flush();
    return ExitCodes.USAGE;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    boolean verbose = verbose(parsed.originalArgs().toArray(String[]::new));
    int code;
    String message;
    if (e instanceof CommandFailedException failed) {
      code = failed.exitCode();
      message = MessageText.oneLine(failed.getMessage());
    } else {
      code = ExitCodes.INTERNAL;
      message =
          "internal error: "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + MessageText.oneLine(e.getMessage()))
              + (verbose ? "" : " (run with --verbose for the stack trace)");
    }
    err.println(style.failure(cmd.getCommandSpec().qualifiedName() + ": " + message));
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  private static boolean verbose(String[] args) {
    for (String a : args) {
      if (a.equals("--")) {
        return false;
      }
      if (a.equals(VERBOSE)) {
        return true;
      }
    }
    return false;
  }
}

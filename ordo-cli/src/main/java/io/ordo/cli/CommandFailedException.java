package io.ordo.cli;

/**
 * An expected failure of a command (bad input, missing file): its message is printed as the one
 * line the user sees, without a stack trace.
 */
public class CommandFailedException extends RuntimeException {
  private final int exitCode;

  public CommandFailedException(String message) {
    this(message, ExitCodes.ERROR, null);
  }

  public CommandFailedException(String message, Throwable cause) {
    this(message, ExitCodes.ERROR, cause);
  }

  public CommandFailedException(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}

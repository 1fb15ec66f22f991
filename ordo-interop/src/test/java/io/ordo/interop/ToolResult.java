package io.ordo.interop;

import java.util.List;

/**
 * What one run of a command-line tool did.
 *
 * @param command the command line, for messages
 * @param exitCode its exit code
 * @param out everything it wrote to stdout
 * @param err everything it wrote to stderr
 */
record ToolResult(List<String> command, int exitCode, String out, String err) {
  /** This result when the tool exited 0; otherwise an error naming the command and its output. */
  ToolResult requireSuccess() {
    if (exitCode != 0) {
      throw new IllegalStateException(describe());
    }
    return this;
  }

  String describe() {
    return String.join(" ", command)
        + "\nexit code "
        + exitCode
        + "\n--- stdout\n"
        + out
        + "\n--- stderr\n"
        + err;
  }
}

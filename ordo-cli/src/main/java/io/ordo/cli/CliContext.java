package io.ordo.cli;

import java.io.Console;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a command may know of the world it runs in: the environment variables, whether a person is
 * watching and the folder relative paths start from. Passed in rather than read from {@link System}
 * so that tests can set them, and so that the tool server can run a client's command with the
 * client's own environment and folder.
 *
 * @param env the environment variables
 * @param terminal true when the output goes to a terminal (colour allowed)
 * @param cwd the absolute folder that relative paths on the command line and in the environment are
 *     taken from
 */
public record CliContext(Map<String, String> env, boolean terminal, Path cwd) {
  public CliContext {
    env = Map.copyOf(env);
    if (!cwd.isAbsolute()) {
      throw new IllegalArgumentException("the working folder " + cwd + " is not absolute");
    }
  }

  /** A context in this process's own working folder. */
  public CliContext(Map<String, String> env, boolean terminal) {
    this(env, terminal, Path.of("").toAbsolutePath());
  }

  /** The real process: a terminal when there is a console, {@code CI} is unset and NO_COLOR too. */
  public static CliContext system() {
    Map<String, String> env = System.getenv();
    return new CliContext(env, colour(isTerminal(System.console()), env));
  }

  /**
   * Whether output to a terminal ({@code terminal}) may use colour: not when {@code CI} or {@code
   * NO_COLOR} is set.
   */
  public static boolean colour(boolean terminal, Map<String, String> env) {
    return terminal && !env.containsKey("CI") && !env.containsKey("NO_COLOR");
  }

  // from JDK 22 System.console() exists even when redirected; Console.isTerminal() tells
  private static boolean isTerminal(Console console) {
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 21: a console is only given to a terminal
    }
  }

  public Optional<String> env(String name) {
    return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
  }

  /**
   * A path given on the command line or in the environment, taken from {@link #cwd} when relative.
   * Every Path and File option goes through here (OrdoCommand registers it as their converter), so
   * that a command gives the same answer run directly or by the tool server.
   */
  public Path path(String value) {
    return cwd.resolve(value);
  }

  public Style style() {
    return new Style(terminal);
  }
}

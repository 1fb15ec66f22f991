package io.ordo.cli;

import java.io.Console;
import java.util.Map;
import java.util.Optional;

/**
 * What a command may know of the world it runs in: the environment variables and whether a person
 * is watching. Passed in rather than read from {@link System} so that tests can set both.
 *
 * @param env the environment variables
 * @param terminal true when the output goes to a terminal (colour allowed)
 */
public record CliContext(Map<String, String> env, boolean terminal) {
  public CliContext {
    env = Map.copyOf(env);
  }

  /** The real process: a terminal when there is a console, {@code CI} is unset and NO_COLOR too. */
  public static CliContext system() {
    Map<String, String> env = System.getenv();
    boolean terminal =
        isTerminal(System.console()) && !env.containsKey("CI") && !env.containsKey("NO_COLOR");
    return new CliContext(env, terminal);
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

  public Style style() {
    return new Style(terminal);
  }
}

package io.ordo.cli;

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
        System.console() != null && !env.containsKey("CI") && !env.containsKey("NO_COLOR");
    return new CliContext(env, terminal);
  }

  public Optional<String> env(String name) {
    return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
  }

  public Style style() {
    return new Style(terminal);
  }
}

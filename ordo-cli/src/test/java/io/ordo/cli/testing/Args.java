package io.ordo.cli.testing;

import java.util.ArrayList;
import java.util.List;

/** A command line put together from words and groups of flags, for {@code Cli.run}. */
public final class Args {
  private final List<String> words = new ArrayList<>();

  private Args() {}

  public static Args of(String... words) {
    return new Args().and(words);
  }

  public Args and(String... more) {
    return and(List.of(more));
  }

  public Args and(List<String> more) {
    words.addAll(more);
    return this;
  }

  public List<String> list() {
    return List.copyOf(words);
  }

  public String[] array() {
    return words.toArray(String[]::new);
  }
}

package io.ordo.cli;

import static org.assertj.core.api.Assertions.assertThat;

/** The rule every expected error follows: a non-zero exit and one line on stderr, no trace. */
public final class ExpectedErrors {
  private ExpectedErrors() {}

  public static String assertOneLineError(Cli.Result r, int exit) {
    assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isEqualTo(exit);
    assertThat(r.errLines()).as("stderr").hasSize(1);
    assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
    return r.err().strip();
  }
}

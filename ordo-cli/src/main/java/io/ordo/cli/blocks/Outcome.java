package io.ordo.cli.blocks;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@code blocks verify} found about one block: it passed, or one check failed and why.
 *
 * @param file the file the block came from; empty for a gap
 * @param failed the check that failed; empty when the block passed every check
 * @param detail for a pass, what the block is; for a failure, why
 */
public record Outcome(
    long block, Optional<String> file, Optional<ChainCheck> failed, String detail) {
  public Outcome {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(failed, "failed");
    Objects.requireNonNull(detail, "detail");
  }

  static Outcome passed(BlockFile f, String detail) {
    return new Outcome(f.number(), Optional.of(f.name()), Optional.empty(), detail);
  }

  static Outcome failed(BlockFile f, ChainCheck check, String why) {
    return new Outcome(f.number(), Optional.of(f.name()), Optional.of(check), why);
  }

  static Outcome gap(long firstMissing, long lastMissing, String why) {
    return new Outcome(firstMissing, Optional.empty(), Optional.of(ChainCheck.GAP), why);
  }

  public boolean ok() {
    return failed.isEmpty();
  }
}

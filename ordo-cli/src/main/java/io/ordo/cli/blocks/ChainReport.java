package io.ordo.cli.blocks;

import java.util.List;
import java.util.Optional;

/**
 * The result of verifying the blocks of a folder.
 *
 * @param channel the channel of the config block the chain starts from, if one was found
 * @param blockFiles how many block files were read
 * @param outcomes in block order; a block may have several failures, a passed block one outcome
 */
public record ChainReport(Optional<String> channel, int blockFiles, List<Outcome> outcomes) {
  public ChainReport {
    outcomes = List.copyOf(outcomes);
  }

  public List<Outcome> failures() {
    return outcomes.stream().filter(o -> !o.ok()).toList();
  }

  public long passed() {
    return outcomes.stream().filter(Outcome::ok).count();
  }

  public boolean allPassed() {
    return failures().isEmpty() && passed() == blockFiles;
  }
}

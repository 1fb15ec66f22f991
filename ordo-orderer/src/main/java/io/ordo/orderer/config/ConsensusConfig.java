package io.ordo.orderer.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The etcdraft settings of the {@code Consensus} section.
 *
 * @param walDir parent of the per-channel WAL directories ({@code <walDir>/<channel>})
 * @param snapDir parent of the per-channel snapshot directories
 * @param evictionSuspicion how long without a leader before this node checks it was evicted
 * @param tickIntervalOverride replaces the channel's tick_interval when present
 * @param leadership Ordo's leadership settings in the same section
 */
public record ConsensusConfig(
    Path walDir,
    Path snapDir,
    Duration evictionSuspicion,
    Optional<Duration> tickIntervalOverride,
    LeadershipConfig leadership) {
  /** With the default leadership settings. */
  public ConsensusConfig(
      Path walDir,
      Path snapDir,
      Duration evictionSuspicion,
      Optional<Duration> tickIntervalOverride) {
    this(walDir, snapDir, evictionSuspicion, tickIntervalOverride, LeadershipConfig.DEFAULTS);
  }
}

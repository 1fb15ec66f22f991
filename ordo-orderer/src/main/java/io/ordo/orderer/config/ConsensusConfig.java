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
 * @param quietIdleChannels Consensus.QuietIdleChannels (Ordo's, on by default): an idle channel
 *     whose consenters are all Ordo nodes stops ticking and heartbeating until something happens
 */
public record ConsensusConfig(
    Path walDir,
    Path snapDir,
    Duration evictionSuspicion,
    Optional<Duration> tickIntervalOverride,
    LeadershipConfig leadership,
    boolean quietIdleChannels) {
  /** With the default leadership settings, idle channels going quiet. */
  public ConsensusConfig(
      Path walDir,
      Path snapDir,
      Duration evictionSuspicion,
      Optional<Duration> tickIntervalOverride) {
    this(walDir, snapDir, evictionSuspicion, tickIntervalOverride, LeadershipConfig.DEFAULTS, true);
  }
}

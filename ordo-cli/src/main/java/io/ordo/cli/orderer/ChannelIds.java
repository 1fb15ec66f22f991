package io.ordo.cli.orderer;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Fabric's rule for channel IDs (ordo-fabric's {@code configtx.ChannelIds}), checked before
 * anything is sent so that a typo is one clear line rather than an orderer's refusal.
 */
public final class ChannelIds {
  private ChannelIds() {}

  /** A usage error on {@code cmd} when {@code id} is not a valid channel ID. */
  public static void check(CommandLine cmd, String id) {
    io.ordo.fabric.configtx.ChannelIds.problem(id)
        .ifPresent(
            problem -> {
              throw new ParameterException(
                  cmd,
                  "invalid channel ID: "
                      + problem
                      + " (a channel ID starts with a lower-case letter and holds only a-z, 0-9,"
                      + " '.' and '-')");
            });
  }
}

package io.ordo.cli.client;

import io.ordo.fabric.configtx.ChannelIds;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Fabric's rule for channel IDs ({@link ChannelIds} decides), checked before anything is sent so
 * that a typo is one clear line rather than an orderer's refusal.
 */
public final class ChannelIdArguments {
  private ChannelIdArguments() {}

  /** The reason {@code id} is not a valid channel ID, in a command's words, or null when it is. */
  public static String problem(String id) {
    if (ChannelIds.isValid(id)) {
      return null;
    }
    if (id.isEmpty()) {
      return "channel ID cannot be empty";
    }
    if (id.length() > ChannelIds.MAX_LENGTH) {
      return "channel ID '" + id + "' is longer than " + ChannelIds.MAX_LENGTH + " characters";
    }
    return "channel ID '"
        + id
        + "' is not valid: it must start with a lower-case letter and hold only a-z, 0-9, '.'"
        + " and '-'";
  }

  /** A usage error on {@code cmd} when {@code id} is not a valid channel ID. */
  public static void check(CommandLine cmd, String id) {
    String problem = problem(id);
    if (problem != null) {
      throw new ParameterException(cmd, problem);
    }
  }
}

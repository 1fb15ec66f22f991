package io.ordo.cli.orderer;

import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Fabric's rule for channel IDs, checked before anything is sent so that a typo is one clear line
 * rather than an orderer's refusal.
 */
public final class ChannelIds {
  private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9.-]*");
  private static final int MAX_LENGTH = 249;

  private ChannelIds() {}

  /** The reason {@code id} is not a valid channel ID, or null when it is. */
  public static String problem(String id) {
    if (id.isEmpty()) {
      return "channel ID cannot be empty";
    }
    if (id.length() > MAX_LENGTH) {
      return "channel ID '" + id + "' is longer than " + MAX_LENGTH + " characters";
    }
    if (!VALID.matcher(id).matches()) {
      return "channel ID '"
          + id
          + "' is not valid: it must start with a lower-case letter and hold only a-z, 0-9, '.'"
          + " and '-'";
    }
    return null;
  }

  /** A usage error on {@code cmd} when {@code id} is not a valid channel ID. */
  public static void check(CommandLine cmd, String id) {
    String problem = problem(id);
    if (problem != null) {
      throw new ParameterException(cmd, problem);
    }
  }
}

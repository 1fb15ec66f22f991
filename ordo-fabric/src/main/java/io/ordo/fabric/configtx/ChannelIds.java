package io.ordo.fabric.configtx;

import java.util.Optional;

/**
 * Fabric's rule for channel IDs ({@code configtx.ValidateChannelID}): a lower-case letter, then
 * lower-case letters, digits, '.' and '-', at most 249 characters. A channel ID names folders on
 * disk, so every entry point (admin API, Broadcast, Deliver, the cluster, the CLI) checks it here
 * before using it.
 */
public final class ChannelIds {
  /** Fabric's limit, which keeps a channel's folder names within common file-name limits. */
  public static final int MAX_LENGTH = 249;

  private ChannelIds() {}

  /** Why {@code id} is not a valid channel ID, in Fabric's words; empty when it is valid. */
  public static Optional<String> problem(String id) {
    if (id.isEmpty()) {
      return Optional.of("channel ID illegal, cannot be empty");
    }
    if (id.length() > MAX_LENGTH) {
      return Optional.of("channel ID illegal, cannot be longer than " + MAX_LENGTH);
    }
    if (!legal(id)) {
      return Optional.of("'" + printable(id) + "' contains illegal characters");
    }
    return Optional.empty();
  }

  /**
   * {@code id} when valid.
   *
   * @throws InvalidChannelIdException naming the ID and what is wrong with it
   */
  public static String requireValid(String id) {
    Optional<String> problem = problem(id);
    if (problem.isPresent()) {
      throw new InvalidChannelIdException("bad channel ID: " + problem.get());
    }
    return id;
  }

  public static boolean isValid(String id) {
    return problem(id).isEmpty();
  }

  // [a-z][a-z0-9.-]* without a regex: this runs for every envelope a client sends
  private static boolean legal(String id) {
    char first = id.charAt(0);
    if (first < 'a' || first > 'z') {
      return false;
    }
    for (int i = 1; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The ID as it may be quoted in a log line or an answer: control characters escaped. */
  private static String printable(String id) {
    int shown = Math.min(id.length(), 80);
    StringBuilder out = new StringBuilder(shown + 8);
    for (int i = 0; i < shown; i++) {
      char c = id.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    return shown < id.length() ? out.append("...").toString() : out.toString();
  }

  /** A channel ID that breaks Fabric's rule. */
  public static final class InvalidChannelIdException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InvalidChannelIdException(String message) {
      super(message);
    }
  }
}

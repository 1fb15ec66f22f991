package io.ordo.orderer.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Input a client or a misbehaving peer could send: channel IDs crafted to reach outside a node's
 * folders or to break its logs, and bytes that are no protobuf message, drawn from a seeded random.
 */
final class HostileInputs {
  /** Characters no channel ID may hold; every random ID has at least one. */
  private static final String FORBIDDEN = "/\\\0\n\r\t\u001b ABCZ_:*?\"<>|%$~é€\uD83D\uDE00";

  private static final String ALLOWED = "abcdefghijklmnopqrstuvwxyz0123456789.-";

  private HostileInputs() {}

  /** The channel IDs of the matrix: the named ones, then {@code random} more. */
  static List<String> channelIds(Random random, int count) {
    List<String> ids =
        new ArrayList<>(
            List.of(
                "../evil", // hostile input, never opened
                "../../etcdraft/wal", // hostile input, never opened
                "..", // hostile input, never opened
                ".",
                "/tmp/ordo-evil-channel",
                "/" + "etc",
                "UPPER",
                "a/b",
                "a\\b",
                "my channel",
                "a".repeat(250),
                "a".repeat(10_000),
                "a\0b",
                "a\nb",
                "\r\n",
                "\t",
                "\u001b[31mred",
                "é",
                "",
                "-x",
                "a.b_c",
                "%2e%2e%2fevil"));
    while (ids.size() < count) {
      StringBuilder b = new StringBuilder();
      int length = 1 + random.nextInt(random.nextBoolean() ? 12 : 300);
      for (int i = 0; i < length; i++) {
        String from = random.nextInt(4) == 0 ? FORBIDDEN : ALLOWED;
        b.append(from.charAt(random.nextInt(from.length())));
      }
      b.insert(
          random.nextInt(b.length() + 1), FORBIDDEN.charAt(random.nextInt(FORBIDDEN.length())));
      ids.add(b.toString());
    }
    return ids;
  }

  /** Random bytes, 0 to {@code maxLength} of them. */
  static byte[] garbage(Random random, int maxLength) {
    byte[] b = new byte[random.nextInt(maxLength + 1)];
    random.nextBytes(b);
    return b;
  }

  /**
   * Bytes that can never parse as a protobuf message: a field tag of wire type 7, which does not
   * exist, then random bytes.
   */
  static byte[] unparseable(Random random, int maxLength) {
    byte[] rest = garbage(random, maxLength);
    byte[] b = new byte[rest.length + 1];
    b[0] = 0x0f;
    System.arraycopy(rest, 0, b, 1, rest.length);
    return b;
  }
}

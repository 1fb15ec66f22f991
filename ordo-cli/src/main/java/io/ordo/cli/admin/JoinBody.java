package io.ordo.cli.admin;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The body of a join request: {@code multipart/form-data} with exactly one file part named {@code
 * config-block} holding the marshalled block, as the participation API requires.
 *
 * @param contentType the Content-Type header, with its boundary
 * @param bytes the body
 */
public record JoinBody(String contentType, byte[] bytes) {
  public static JoinBody of(String channel, byte[] configBlock, SecureRandom random) {
    String boundary = "ordo-" + HexFormat.of().toHexDigits(random.nextLong());
    byte[] head =
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"config-block\"; filename=\""
                + channel
                + ".block\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] body = new byte[head.length + configBlock.length + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(configBlock, 0, body, head.length, configBlock.length);
    System.arraycopy(tail, 0, body, head.length + configBlock.length, tail.length);
    return new JoinBody("multipart/form-data; boundary=" + boundary, body);
  }
}

package io.ordo.orderer.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A body and Content-Type for the admin API's join, well-formed or not. */
record JoinRequest(String contentType, byte[] body) {
  private static final String BOUNDARY = "ordo-it-boundary";

  /** A multipart form with one {@code config-block} file part holding {@code block}. */
  static JoinRequest of(byte[] block) {
    return multipart(part("config-block", "config.block", block));
  }

  /** A multipart form of the given parts (each from {@link #part}). */
  static JoinRequest multipart(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return new JoinRequest("multipart/form-data; boundary=" + BOUNDARY, out.toByteArray());
  }

  /** One file part of a multipart form. */
  static byte[] part(String name, String fileName, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        ("--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\""
                + name
                + "\"; filename=\""
                + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(content);
    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** A multipart Content-Type over a body that is not a multipart form. */
  static JoinRequest garbledMultipart(byte[] body) {
    return new JoinRequest("multipart/form-data; boundary=" + BOUNDARY, body);
  }
}

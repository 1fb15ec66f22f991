package io.ordo.orderer.admin;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A multipart/form-data body (RFC 7578) split into parts. Only what a join request needs: part
 * name, file name and content; malformed input raises {@link IllegalArgumentException}.
 */
record MultipartForm(List<Part> parts) {
  /** A part: a file when it has a file name, else a form value. */
  record Part(String name, Optional<String> fileName, byte[] content) {}

  /** The boundary parameter of a multipart Content-Type. */
  static String boundary(String contentType) {
    for (String param : contentType.split(";")) {
      String p = param.trim();
      if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
        String b = p.substring("boundary=".length());
        if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
          b = b.substring(1, b.length() - 1);
        }
        if (!b.isEmpty() && b.length() <= 70) {
          return b;
        }
      }
    }
    throw new IllegalArgumentException("no multipart boundary param in Content-Type");
  }

  static MultipartForm parse(byte[] body, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    int pos = indexOf(body, delimiter, 0);
    if (pos < 0) {
      throw new IllegalArgumentException("multipart: NextPart: EOF");
    }
    List<Part> parts = new ArrayList<>();
    while (true) {
      int after = pos + delimiter.length;
      if (startsWith(body, after, "--")) {
        return new MultipartForm(List.copyOf(parts)); // closing delimiter
      }
      if (!startsWith(body, after, "\r\n")) {
        throw new IllegalArgumentException("multipart: malformed delimiter line");
      }
      int headersStart = after + 2;
      int headersEnd =
          indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
      if (headersEnd < 0) {
        throw new IllegalArgumentException("multipart: part headers are not terminated");
      }
      String headers =
          new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
      int contentStart = headersEnd + 4;
      byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
      int contentEnd = indexOf(body, next, contentStart);
      if (contentEnd < 0) {
        throw new IllegalArgumentException("multipart: NextPart: unexpected EOF");
      }
      byte[] content = java.util.Arrays.copyOfRange(body, contentStart, contentEnd);
      parts.add(part(headers, content));
      pos = contentEnd + 2;
    }
  }

  private static Part part(String headers, byte[] content) {
    for (String line : headers.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Disposition")) {
        String value = line.substring(colon + 1).trim();
        Optional<String> name = param(value, "name");
        if (!value.toLowerCase(Locale.ROOT).startsWith("form-data") || name.isEmpty()) {
          break;
        }
        return new Part(name.get(), param(value, "filename"), content);
      }
    }
    throw new IllegalArgumentException("multipart: part without a form-data Content-Disposition");
  }

  private static Optional<String> param(String disposition, String key) {
    for (String p : disposition.split(";")) {
      String t = p.trim();
      int eq = t.indexOf('=');
      if (eq > 0 && t.substring(0, eq).trim().equalsIgnoreCase(key)) {
        String v = t.substring(eq + 1).trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
          v = v.substring(1, v.length() - 1);
        }
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  private static boolean startsWith(byte[] body, int at, String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    if (at + b.length > body.length) {
      return false;
    }
    for (int i = 0; i < b.length; i++) {
      if (body[at + i] != b[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] body, byte[] needle, int from) {
    outer:
    for (int i = from; i <= body.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (body[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}

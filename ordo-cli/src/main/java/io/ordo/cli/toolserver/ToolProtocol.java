package io.ordo.cli.toolserver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The wire format between {@code bin/ordo} and the tool server, made for bash's {@code /dev/tcp}
 * and {@code read -d ''}: every field ends with a NUL byte.
 *
 * <p>The request: {@value #MAGIC}, the token, the working folder, {@code 1} or {@code 0} (a
 * terminal or not), the number of arguments, the arguments, then {@code NAME=VALUE} for each
 * environment variable and an empty field to end. The answer: frames of one tag byte and UTF-8 text
 * ({@code a} accepted, {@code o} stdout, {@code e} stderr, {@code x} the exit code, or {@code r}
 * and why the request was refused), each ending with a NUL byte. Text only: a NUL inside a frame
 * would end it early, so the commands the launcher sends here print no binary output.
 */
public final class ToolProtocol {
  static final String MAGIC = "ordo-tool-1";

  /** Largest request read: arguments and an environment are a few kilobytes. */
  static final int MAX_REQUEST = 1 << 20;

  static final int MAX_ARGS = 10_000;

  static final byte ACCEPTED = 'a';
  static final byte STDOUT = 'o';
  static final byte STDERR = 'e';
  static final byte EXIT = 'x';
  static final byte REFUSED = 'r';

  private ToolProtocol() {}

  /**
   * Reads one request, checking the token before anything else is read.
   *
   * @throws ToolRequestException a malformed request, a wrong token or one over {@link
   *     #MAX_REQUEST}
   * @throws IOException the connection failed
   */
  static ToolRequest read(InputStream in, String token) throws IOException {
    Fields fields = new Fields(in);
    if (!MAGIC.equals(fields.next())) {
      throw new ToolRequestException("not an ordo tool request (expected " + MAGIC + ")");
    }
    if (!sameToken(token, fields.next())) {
      throw new ToolRequestException("wrong token");
    }
    Path cwd;
    try {
      cwd = Path.of(fields.next());
    } catch (InvalidPathException e) {
      throw new ToolRequestException("the working folder is not a path: " + e.getMessage());
    }
    boolean terminal = "1".equals(fields.next());
    int argc;
    try {
      argc = Integer.parseInt(fields.next());
    } catch (NumberFormatException e) {
      throw new ToolRequestException("the argument count is not a number");
    }
    if (argc < 0 || argc > MAX_ARGS) {
      throw new ToolRequestException("argument count " + argc + " out of 0.." + MAX_ARGS);
    }
    List<String> args = new ArrayList<>(argc);
    for (int i = 0; i < argc; i++) {
      args.add(fields.next());
    }
    Map<String, String> env = new HashMap<>();
    for (String entry = fields.next(); !entry.isEmpty(); entry = fields.next()) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return new ToolRequest(cwd, terminal, args, env);
  }

  /** Writes a whole request as {@code bin/ordo} does; for tests and Java clients. */
  static void write(OutputStream out, String token, ToolRequest request) throws IOException {
    List<String> fields = new ArrayList<>();
    fields.add(MAGIC);
    fields.add(token);
    fields.add(request.cwd().toString());
    fields.add(request.terminal() ? "1" : "0");
    fields.add(String.valueOf(request.args().size()));
    fields.addAll(request.args());
    request.env().forEach((k, v) -> fields.add(k + "=" + v));
    fields.add("");
    for (String f : fields) {
      out.write(f.getBytes(StandardCharsets.UTF_8));
      out.write(0);
    }
    out.flush();
  }

  /** One frame: the tag, the text with any NUL byte left out, the closing NUL. */
  static void frame(OutputStream out, byte tag, byte[] data, int off, int len) throws IOException {
    byte[] framed = new byte[len + 2];
    framed[0] = tag;
    int n = 1;
    for (int i = off; i < off + len; i++) {
      if (data[i] != 0) {
        framed[n++] = data[i];
      }
    }
    framed[n++] = 0;
    out.write(framed, 0, n);
    out.flush();
  }

  static void frame(OutputStream out, byte tag, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    frame(out, tag, b, 0, b.length);
  }

  // constant time in the token's content, so that timing tells nothing of it
  private static boolean sameToken(String expected, String given) {
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  /** NUL-terminated fields of at most {@link #MAX_REQUEST} bytes in all. */
  private static final class Fields {
    private final InputStream in;
    private int total;

    Fields(InputStream in) {
      this.in = in;
    }

    String next() throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      while (true) {
        int c = in.read();
        if (c < 0) {
          throw new ToolRequestException("the request ended early");
        }
        if (++total > MAX_REQUEST) {
          throw new ToolRequestException("request larger than " + MAX_REQUEST + " bytes");
        }
        if (c == 0) {
          return b.toString(StandardCharsets.UTF_8);
        }
        b.write(c);
      }
    }
  }
}

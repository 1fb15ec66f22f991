package io.ordo.cli.orderer;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A writer that prints each line it is given as one line: the node's start-up errors quote the YAML
 * parser, whose messages span several lines (an excerpt of the file and a caret under the problem);
 * the excerpt is dropped and "in 'reader', line L, column C" becomes "at line L, column C".
 */
final class OneLineWriter extends PrintWriter {
  private static final Pattern CARET = Pattern.compile("\\s*\\^\\s*");
  private static final Pattern MARK =
      Pattern.compile("\\s*in '[^']*', line (\\d+), column (\\d+):?");

  OneLineWriter(PrintWriter out) {
    super(out, true);
  }

  @Override
  public void println(String x) {
    super.println(oneLine(x));
  }

  static String oneLine(String message) {
    if (message == null) {
      return "null";
    }
    String[] lines = message.split("\\R");
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      boolean excerpt = i + 1 < lines.length && CARET.matcher(lines[i + 1]).matches();
      if (excerpt || CARET.matcher(lines[i]).matches() || lines[i].isBlank()) {
        continue;
      }
      kept.add(lines[i].strip());
    }
    String joined = String.join(" ", kept);
    joined = MARK.matcher(joined).replaceAll(" at line $1, column $2:");
    return joined.replaceAll(":\\s*$", "").replaceAll("\\s+", " ").strip();
  }
}

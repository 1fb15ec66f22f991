package io.ordo.cli.toolserver;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One command a client asks the tool server to run.
 *
 * @param cwd the client's working folder (absolute)
 * @param terminal whether the client's stdin and stdout are a terminal
 * @param args the command's arguments, as given to {@code ordo}
 * @param env the client's environment
 */
public record ToolRequest(Path cwd, boolean terminal, List<String> args, Map<String, String> env) {
  public ToolRequest {
    args = List.copyOf(args);
    env = Map.copyOf(env);
    if (!cwd.isAbsolute()) {
      throw new ToolRequestException("the working folder " + cwd + " is not absolute");
    }
  }

  /** The command's name for the server's log: its first one or two words, never its values. */
  String commandName() {
    if (args.isEmpty()) {
      return "(none)";
    }
    if (args.size() > 1 && !args.get(1).startsWith("-")) {
      return args.get(0) + " " + args.get(1);
    }
    return args.get(0);
  }
}

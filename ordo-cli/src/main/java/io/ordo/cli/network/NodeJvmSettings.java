package io.ordo.cli.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JVM settings of an orderer node, as {@code node-jvm.options} beside this class holds them:
 * the one file that the {@code ordo} launchers read for {@code ordo orderer start} and that {@code
 * ordo network up} reads for its nodes.
 *
 * @param flags the JVM flags, in the file's order
 * @param environment variables a node gets unless its environment already sets them
 */
public record NodeJvmSettings(List<String> flags, Map<String, String> environment) {
  static final String RESOURCE = "/io/ordo/cli/node-jvm.options";

  public NodeJvmSettings {
    flags = List.copyOf(flags);
    environment = Map.copyOf(environment);
  }

  /** The settings this jar carries. */
  public static NodeJvmSettings bundled() {
    try (InputStream in = NodeJvmSettings.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the jar");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /**
   * Reads the file's format: blank lines and lines starting with '#' are skipped, a line starting
   * with '-' is a flag, a line NAME=VALUE a variable.
   *
   * @throws IllegalArgumentException naming the first line that is neither
   */
  static NodeJvmSettings parse(String text) {
    List<String> flags = new ArrayList<>();
    Map<String, String> environment = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int equals = line.indexOf('=');
      if (line.startsWith("-") && !line.contains(" ")) {
        flags.add(line);
      } else if (equals > 0 && line.substring(0, equals).matches("[A-Z_][A-Z0-9_]*")) {
        environment.put(line.substring(0, equals), line.substring(equals + 1));
      } else {
        throw new IllegalArgumentException(
            RESOURCE + " line " + (i + 1) + ": neither a JVM flag nor NAME=VALUE: " + line);
      }
    }
    return new NodeJvmSettings(flags, environment);
  }
}

package io.ordo.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The end of a log file, without the colour codes Fabric writes even to a file, each line cut to a
 * width a CI summary can show.
 */
final class LogTail {
  private static final int WIDTH = 300;
  private static final Pattern COLOUR = Pattern.compile("\u001B\\[[;\\d]*m");

  private LogTail() {}

  static List<String> of(Path log, int lines) {
    try {
      List<String> all =
          Files.readAllLines(log, StandardCharsets.UTF_8).stream()
              .map(l -> COLOUR.matcher(l).replaceAll(""))
              .map(l -> l.length() > WIDTH ? l.substring(0, WIDTH) + "..." : l)
              .toList();
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (NoSuchFileException e) {
      return List.of("(no log: never started)");
    } catch (IOException e) {
      return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
    }
  }
}

package io.ordo.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ordo.cli.CommandFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a report record as indented JSON, its folder made if missing. */
final class JsonReport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  /**
   * @throws CommandFailedException when the file cannot be written
   */
  static void write(Path file, Object report) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      JSON.writeValue(file.toFile(), report);
    } catch (IOException e) {
      throw new CommandFailedException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}

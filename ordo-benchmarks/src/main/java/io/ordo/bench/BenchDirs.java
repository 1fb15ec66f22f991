package io.ordo.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Scratch directories for storage benchmarks, under {@code -Dordo.bench.dir} or the temp dir. */
final class BenchDirs {
  private BenchDirs() {}

  static Path create(String prefix) {
    try {
      Path base =
          Path.of(System.getProperty("ordo.bench.dir", System.getProperty("java.io.tmpdir")));
      return Files.createTempDirectory(base, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

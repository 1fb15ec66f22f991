package io.ordo.fabric;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the shared vectors folder by walking up from the working directory. */
public final class SharedVectors {
  private SharedVectors() {}

  public static Path dir() {
    Path start = Path.of("").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared/vectors");
      if (Files.exists(candidate.resolve("raftpb-and-block-hash.json"))) {
        return candidate;
      }
      Path sibling = p.resolveSibling("shared").resolve("vectors");
      if (Files.exists(sibling.resolve("raftpb-and-block-hash.json"))) {
        return sibling;
      }
    }
    throw new IllegalStateException("shared/vectors not found above " + start);
  }

  public static Path network() {
    return dir().resolve("fabric-v3.0.0-network");
  }

  public static Path testdata() {
    return dir().resolve("fabric-v3.0.0-testdata");
  }

  public static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

package io.ordo.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the shared vectors by walking up from the working directory. */
public final class SharedVectors {
  private SharedVectors() {}

  public static Path network() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      for (Path candidate :
          new Path[] {p.resolve("shared/vectors"), p.resolveSibling("shared/vectors")}) {
        if (Files.exists(candidate.resolve("fabric-v3.0.0-network/block-0.pb"))) {
          return candidate.resolve("fabric-v3.0.0-network");
        }
      }
    }
    throw new IllegalStateException(
        "no shared/vectors folder above " + Path.of("").toAbsolutePath());
  }

  /** The repository root: the folder holding the ordo launcher and the parent pom. */
  public static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("ordo")) && Files.isDirectory(p.resolve("ordo-cli"))) {
        return p;
      }
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }
}

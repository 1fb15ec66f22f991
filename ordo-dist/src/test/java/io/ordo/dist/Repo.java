package io.ordo.dist;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root the parent pom names in {@code ordo.root}, and files inside it. */
final class Repo {
  private Repo() {}

  static Path root() {
    String value = System.getProperty("ordo.root");
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("system property ordo.root is not set: run through Maven");
    }
    Path root = Path.of(value).toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve("pom.xml"))) {
      throw new IllegalStateException("ordo.root=" + value + " is not the repository root");
    }
    return root;
  }

  /** A file of the repository, refused when it lies outside it. */
  static Path file(String relative) {
    Path root = root();
    Path p = root.resolve(relative).normalize();
    if (!p.startsWith(root) || !Files.exists(p)) {
      throw new IllegalArgumentException("no " + relative + " in " + root);
    }
    return p;
  }
}

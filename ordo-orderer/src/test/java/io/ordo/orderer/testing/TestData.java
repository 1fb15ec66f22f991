package io.ordo.orderer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository's {@code testdata/} folder (see its README), found through the system property
 * {@code ordo.root} that the parent pom's surefire configuration sets to the repository root. Tests
 * read data through {@link #path} only, which refuses anything outside that folder.
 */
public final class TestData {
  private TestData() {}

  /** The repository root named by {@code ordo.root}; fails when it is unset or wrong. */
  public static Path root() {
    String value = System.getProperty("ordo.root");
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "system property ordo.root is not set: run the tests through Maven (the parent pom sets"
              + " it), or pass -Dordo.root=<the repository root>");
    }
    Path root = Path.of(value).toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve("pom.xml"))
        || !Files.isDirectory(root.resolve("testdata"))) {
      throw new IllegalStateException(
          "ordo.root="
              + value
              + " is not the repository root: no pom.xml and testdata/ in "
              + root);
    }
    return root;
  }

  /**
   * The file or folder {@code relative} inside {@code testdata/}.
   *
   * @throws IllegalArgumentException when it lies outside {@code testdata/} (also through a
   *     symbolic link)
   * @throws IllegalStateException when it does not exist
   */
  public static Path path(String relative) {
    Path dir = root().resolve("testdata");
    Path p = dir.resolve(relative).normalize();
    if (!p.startsWith(dir)) {
      throw new IllegalArgumentException(relative + " lies outside " + dir);
    }
    if (!Files.exists(p)) {
      throw new IllegalStateException(
          "missing test data " + p + " (testdata/README.md lists what belongs there)");
    }
    try {
      if (!p.toRealPath().startsWith(dir.toRealPath())) {
        throw new IllegalArgumentException(relative + " leads outside " + dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }
}

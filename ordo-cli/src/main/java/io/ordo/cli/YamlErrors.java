package io.ordo.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.util.Optional;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Finds the line and column of a YAML syntax error among the causes of a library's exception. */
public final class YamlErrors {
  private YamlErrors() {}

  /**
   * "FILE: not valid YAML at line L, column C: PROBLEM" when {@code e} comes from a syntax error,
   * empty otherwise. Lines and columns count from 1, as editors do.
   */
  public static Optional<String> syntaxError(Path file, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MarkedYAMLException y && y.getProblemMark() != null) {
        Mark mark = y.getProblemMark();
        String context = y.getContext() == null ? "" : y.getContext() + ": ";
        return Optional.of(
            at(file, mark.getLine() + 1, mark.getColumn() + 1)
                + context
                + MessageText.oneLine(y.getProblem()));
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JsonProcessingException j && j.getLocation() != null) {
        return Optional.of(
            at(file, j.getLocation().getLineNr(), j.getLocation().getColumnNr())
                + MessageText.oneLine(j.getOriginalMessage()));
      }
    }
    return Optional.empty();
  }

  private static String at(Path file, int line, int column) {
    return file + ": not valid YAML at line " + line + ", column " + column + ": ";
  }
}

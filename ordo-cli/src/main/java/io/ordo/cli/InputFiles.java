package io.ordo.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks on the files a command is given, failing with a message that names the flag. */
public final class InputFiles {
  private InputFiles() {}

  /** {@code file} as a readable regular file; {@code what} says which input it is. */
  public static Path readableFile(Path file, String what) {
    if (!Files.exists(file)) {
      throw new CommandFailedException(what + " " + file + " does not exist");
    }
    if (!Files.isRegularFile(file)) {
      throw new CommandFailedException(what + " " + file + " is not a file");
    }
    if (!Files.isReadable(file)) {
      throw new CommandFailedException(what + " " + file + " is not readable");
    }
    return file;
  }

  public static Path directory(Path dir, String what) {
    if (!Files.exists(dir)) {
      throw new CommandFailedException(what + " " + dir + " does not exist");
    }
    if (!Files.isDirectory(dir)) {
      throw new CommandFailedException(what + " " + dir + " is not a directory");
    }
    return dir;
  }

  public static byte[] read(Path file, String what) {
    readableFile(file, what);
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CommandFailedException(
          "cannot read " + what + " " + file + ": " + e.getMessage(), e);
    }
  }

  /** The message of an I/O failure inside a library, which names the file it was writing. */
  public static String describe(UncheckedIOException e) {
    IOException cause = e.getCause();
    String detail =
        cause instanceof java.nio.file.FileSystemException fs && fs.getReason() != null
            ? fs.getFile() + ": " + fs.getReason()
            : String.valueOf(cause.getMessage());
    return MessageText.oneLine(e.getMessage()) + " (" + MessageText.oneLine(detail) + ")";
  }
}

package io.ordo.cli.network;

import io.ordo.cli.CommandFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --dir DIR} of the commands that act on a network {@code ordo network up} already made
 * there; a folder without its network file is an error that says how to make one.
 */
final class ExistingNetworkDir {
  @Option(
      names = {"--dir", "--network"},
      paramLabel = "DIR",
      defaultValue = NetworkUpCommand.DEFAULT_DIR,
      description = "The network's folder (default: ${DEFAULT-VALUE}).")
  private Path dir;

  /** The folder, absolute, once it is known to hold a network file. */
  Path existing() {
    Path abs = dir.toAbsolutePath().normalize();
    if (!Files.isRegularFile(abs.resolve(NetworkFile.FILE_NAME))) {
      throw new CommandFailedException(
          "no network in "
              + abs
              + " (no "
              + NetworkFile.FILE_NAME
              + "); start one with"
              + " ordo network up --dir "
              + dir);
    }
    return abs;
  }
}

package io.ordo.cli.toolserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * A tool server's files in its folder: {@code KEY.lock}, held while it runs so that one server
 * serves a key, {@code KEY.port} ({@code PORT TOKEN PID}, mode 0600) that clients read, and {@code
 * KEY.log}, the server's output, emptied when a server takes the key. The folder is the user's own,
 * mode 0700: only the user can read the token.
 */
public final class ToolServerFiles implements AutoCloseable {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_READ_WRITE =
      PosixFilePermissions.fromString("rw-------");

  private final Path dir;
  private final String key;
  private final FileChannel lockFile;
  private final FileLock lock;

  private ToolServerFiles(Path dir, String key, FileChannel lockFile, FileLock lock) {
    this.dir = dir;
    this.key = key;
    this.lockFile = lockFile;
    this.lock = lock;
  }

  /**
   * Takes {@code key} in {@code dir}, making the folder 0700 (creating it if needed); empty when
   * another server already holds the key.
   *
   * @throws ToolServerException the folder is another user's, or a name is not a plain file name
   */
  public static Optional<ToolServerFiles> take(Path dir, String key) {
    if (!key.matches("[A-Za-z0-9._-]+")) {
      throw new ToolServerException("tool server key '" + key + "' is not a plain file name");
    }
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      }
      Path probe =
          Files.createTempFile(
              dir, ".owner", "", PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE));
      try {
        if (!Files.getAttribute(dir, "unix:uid").equals(Files.getAttribute(probe, "unix:uid"))) {
          throw new ToolServerException(
              "tool server folder " + dir + " belongs to another user; not using it");
        }
      } finally {
        Files.delete(probe);
      }
      Files.setPosixFilePermissions(dir, OWNER_ONLY);
      FileChannel channel =
          FileChannel.open(
              dir.resolve(key + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held in this very JVM
      }
      if (lock == null) {
        channel.close();
        return Optional.empty();
      }
      // the log (which bin/ordo appends to) keeps this server's life only
      Path log = dir.resolve(key + ".log");
      if (Files.isRegularFile(log)) {
        try (FileChannel c = FileChannel.open(log, StandardOpenOption.WRITE)) {
          c.truncate(0);
        }
      }
      return Optional.of(new ToolServerFiles(dir, key, channel, lock));
    } catch (IOException e) {
      throw new ToolServerException(
          "tool server folder " + dir + ": cannot take key " + key + ": " + e.getMessage(), e);
    }
  }

  public Path portFile() {
    return dir.resolve(key + ".port");
  }

  /** Writes the port file whole (0600, then renamed into place), so no client reads half of it. */
  public void publish(int port, String token) {
    Path tmp = dir.resolve(key + ".port.tmp");
    try {
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE));
      Files.writeString(
          tmp,
          port + " " + token + " " + ProcessHandle.current().pid() + "\n",
          StandardCharsets.US_ASCII);
      Files.move(tmp, portFile(), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new ToolServerException("cannot write " + portFile() + ": " + e.getMessage(), e);
    }
  }

  /** Removes the port file, then lets the key go. */
  @Override
  public void close() {
    try {
      Files.deleteIfExists(portFile());
      lock.release();
      lockFile.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release " + dir.resolve(key + ".lock"), e);
    }
  }
}

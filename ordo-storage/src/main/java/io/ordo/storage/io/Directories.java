package io.ordo.storage.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Directory operations whose effect must survive a power cut. */
public final class Directories {
  private Directories() {}

  /**
   * The entry {@code name} directly inside {@code root}. Names come from the network (a channel ID
   * names a ledger, a WAL and a snapshot folder), so a name that would reach anywhere else is
   * refused however it was checked before: a separator, "." or "..", an absolute path.
   *
   * @throws IllegalArgumentException naming the name and the root it would leave
   */
  public static Path child(Path root, String name) {
    boolean plain =
        !name.isEmpty()
            && !name.equals(".")
            && !name.equals("..")
            && name.indexOf('/') < 0
            && name.indexOf('\\') < 0
            && name.indexOf('\0') < 0;
    if (plain) {
      Path normalRoot = root.toAbsolutePath().normalize();
      Path resolved = normalRoot.resolve(name).normalize();
      if (normalRoot.equals(resolved.getParent())) {
        return root.resolve(name);
      }
    }
    throw new IllegalArgumentException(
        "'" + name + "' is not a single folder name inside " + root + "; refused");
  }

  /**
   * Makes the creation, rename or removal of entries in {@code dir} durable. On Linux a directory
   * opened read-only can be fsynced; elsewhere the call may be refused, which we tolerate.
   */
  public static void fsync(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      if (!System.getProperty("os.name", "").toLowerCase().contains("win")) {
        throw new StorageIoException(dir, "fsync of directory", e);
      }
    }
  }

  /** Creates {@code dir} and its parents, and makes the new entry durable in its parent. */
  public static void create(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
          fsync(parent);
        }
      }
    } catch (IOException e) {
      throw new StorageIoException(dir, "create directory", e);
    }
  }

  /** Renames {@code from} to {@code to} atomically and fsyncs the directory that holds them. */
  public static void renameDurably(Path from, Path to) {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new StorageIoException(from, "rename to " + to.getFileName(), e);
    }
    fsync(to.toAbsolutePath().getParent());
  }

  /**
   * Deletes {@code dir} and everything under it, if it exists, and makes the removal durable in its
   * parent (a removed channel's ledger, WAL or snapshots).
   */
  public static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new StorageIoException(dir, "delete directory tree", e);
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null) {
      fsync(parent);
    }
  }
}

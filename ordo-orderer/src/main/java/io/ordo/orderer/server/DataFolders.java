package io.ordo.orderer.server;

import io.ordo.orderer.config.LocalConfig;
import io.ordo.orderer.config.LocalConfigException;
import io.ordo.storage.io.Directories;
import io.ordo.storage.io.StorageIoException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The folders orderer.yaml names for the node's data (FileLedger.Location, Consensus.WALDir,
 * Consensus.SnapDir), checked before anything is written to them: a folder that is a file, sits on
 * one of the kernel's file systems, cannot be made or cannot be written stops the start with the
 * key and the folder named, instead of the first join failing or a channel being reported lost.
 */
final class DataFolders {
  /** The kernel's views (process, device and control files): nothing written there is kept. */
  private static final Set<String> KERNEL_FILE_SYSTEMS =
      Set.of("proc", "sysfs", "devtmpfs", "cgroup", "cgroup2", "debugfs", "securityfs", "tracefs");

  private static final String PROBE = ".ordo-write-check";

  private DataFolders() {}

  /** Makes each missing folder and checks that the node can write there. */
  static void check(LocalConfig config) {
    check("FileLedger.Location", config.fileLedger().location());
    check("Consensus.WALDir", config.consensus().walDir());
    check("Consensus.SnapDir", config.consensus().snapDir());
  }

  static void check(String key, Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new LocalConfigException(key, dir + " is a file, not a folder");
    }
    String type = fileSystemType(key, dir);
    if (KERNEL_FILE_SYSTEMS.contains(type)) {
      throw new LocalConfigException(
          key, dir + " is on a kernel file system (" + type + "), which keeps no data");
    }
    try {
      Directories.create(dir);
    } catch (StorageIoException e) {
      throw new LocalConfigException(
          key, "cannot create the folder " + dir + ": " + reason(e.getCause()), e);
    }
    // a probe rather than permission bits: those do not tell about root, ACLs or read-only mounts
    Path probe = dir.resolve(PROBE + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    try {
      Files.createFile(probe);
      Files.delete(probe);
    } catch (IOException e) {
      throw new LocalConfigException(
          key, "cannot write in the folder " + dir + ": " + reason(e), e);
    }
  }

  /** The type of the file system that holds {@code dir}, or of its nearest existing parent. */
  private static String fileSystemType(String key, Path dir) {
    Path existing = dir.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return "";
    }
    try {
      return Files.getFileStore(existing).type();
    } catch (IOException e) {
      throw new LocalConfigException(
          key, "cannot tell the file system of " + dir + ": " + reason(e), e);
    }
  }

  private static String reason(Throwable e) {
    if (e instanceof FileSystemException f) {
      String why = f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
      return f.getFile() + ": " + why;
    }
    return String.valueOf(e.getMessage());
  }
}

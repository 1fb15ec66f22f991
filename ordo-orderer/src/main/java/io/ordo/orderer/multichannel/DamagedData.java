package io.ordo.orderer.multichannel;

import io.ordo.storage.io.Directories;
import io.ordo.storage.io.StorageIoException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * Moves the data of a damaged channel out of the node's way, into {@code
 * <FileLedger.Location>/damaged/<channel>-<UTC time>/}: one sub-folder per folder the node keeps
 * for the channel (its ledger, WAL and snapshots) and a {@code reason.txt}. The node never deletes
 * anything there; the operator decides what to keep.
 */
final class DamagedData {
  static final String FOLDER = "damaged";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /**
   * One kind of folder the node keeps per channel, under {@code root/<channel>}.
   *
   * @param name its name inside the damaged folder
   */
  record Kept(String name, Path root) {}

  private final Path damagedRoot;
  private final List<Kept> kept;
  private final Clock clock;

  DamagedData(Path ledgerLocation, List<Kept> kept, Clock clock) {
    this.damagedRoot = ledgerLocation.resolve(FOLDER);
    this.kept = List.copyOf(kept);
    this.clock = clock;
  }

  /**
   * Moves every folder of {@code channel} that exists aside, with {@code reason} written next to
   * them.
   *
   * @return the folder that holds them, or empty when the channel had none
   */
  Optional<Path> moveAside(String channel, String reason) {
    List<Kept> present =
        kept.stream().filter(k -> Files.exists(Directories.child(k.root(), channel))).toList();
    if (present.isEmpty()) {
      return Optional.empty();
    }
    Path target = freshFolder(channel);
    write(target.resolve("reason.txt"), reason + System.lineSeparator());
    for (Kept k : present) {
      move(Directories.child(k.root(), channel), target.resolve(k.name()));
    }
    return Optional.of(target);
  }

  private Path freshFolder(String channel) {
    Directories.create(damagedRoot);
    String stamp = channel + "-" + STAMP.format(clock.instant());
    Path target = Directories.child(damagedRoot, stamp);
    for (int i = 2; Files.exists(target); i++) {
      target = Directories.child(damagedRoot, stamp + "-" + i);
    }
    Directories.create(target);
    return target;
  }

  /**
   * One rename where both lie on one file system; else a copy, made durable, before the original
   * goes: the data is moved, never lost.
   */
  private static void move(Path from, Path to) {
    try {
      Directories.renameDurably(from, to);
      Directories.fsync(from.toAbsolutePath().getParent());
      return;
    } catch (StorageIoException e) {
      if (!(e.getCause() instanceof AtomicMoveNotSupportedException)) {
        throw e;
      }
    }
    copyDurably(from, to);
    Directories.deleteTree(from);
  }

  private static void copyDurably(Path from, Path to) {
    try {
      Files.walkFileTree(
          from,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                throws IOException {
              Files.createDirectories(to.resolve(from.relativize(dir).toString()));
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Path copy = to.resolve(from.relativize(file).toString());
              Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
              try (var ch = java.nio.channels.FileChannel.open(copy)) {
                ch.force(true);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) {
              Directories.fsync(to.resolve(from.relativize(dir).toString()));
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new StorageIoException(from, "copy to " + to, e);
    }
    Directories.fsync(to.toAbsolutePath().getParent());
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
      try (var ch = java.nio.channels.FileChannel.open(file)) {
        ch.force(true);
      }
    } catch (IOException e) {
      throw new StorageIoException(file, "write", e);
    }
    Directories.fsync(file.getParent());
  }
}

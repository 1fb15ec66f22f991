package io.ordo.storage.snap;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.raft.pb.Snapshot;
import io.ordo.storage.io.ChannelFactory;
import io.ordo.storage.io.Crc32c;
import io.ordo.storage.io.Directories;
import io.ordo.storage.io.StorageCorruptionException;
import io.ordo.storage.io.StorageIoException;
import io.ordo.storage.wal.SnapshotMarker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot files of one node in one directory. A file is {@code <index>-<term>.snap} (16 hex
 * digits each) holding the raftpb Snapshot bytes behind a header of length (int32) and CRC32C of
 * those bytes (int32).
 */
public final class Snapshotter {
  private static final Logger log = LoggerFactory.getLogger(Snapshotter.class);
  private static final Pattern NAME = Pattern.compile("([0-9a-f]{16})-([0-9a-f]{16})\\.snap");
  private static final int HEADER_BYTES = 8;

  private final Path dir;
  private final ChannelFactory channels;
  private final SnapshotObserver observer;

  public Snapshotter(Path dir, ChannelFactory channels) {
    this(dir, channels, SnapshotObserver.NONE);
  }

  /** As above, telling {@code observer} what each save took. */
  public Snapshotter(Path dir, ChannelFactory channels, SnapshotObserver observer) {
    this.dir = dir;
    this.channels = channels;
    this.observer = observer;
    Directories.create(dir);
  }

  /** Writes {@code snapshot} durably: temporary file, fsync, rename, directory fsync. */
  public void save(Snapshot snapshot) {
    long started = System.nanoTime();
    SnapshotMarker marker = markerOf(snapshot);
    Path file = dir.resolve(fileName(marker));
    Path tmp = dir.resolve(fileName(marker) + ".tmp");
    byte[] body = snapshot.toByteArray();
    long marshalled = System.nanoTime();
    long fsyncNanos;
    ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + body.length);
    buf.putInt(body.length).putInt(Crc32c.of(body, 0, body.length)).put(body).flip();
    try (FileChannel ch =
        channels.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      long syncStart = System.nanoTime();
      ch.force(true);
      fsyncNanos = System.nanoTime() - syncStart;
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new StorageIoException(tmp, "write snapshot", e);
    }
    Directories.renameDurably(tmp, file);
    observer.saved(marshalled - started, fsyncNanos, System.nanoTime() - started);
    log.info("saved snapshot {} ({} bytes) in {}", marker, body.length, dir);
  }

  /**
   * The newest intact snapshot whose marker {@code usable} accepts (the WAL's markers): a corrupt
   * file is skipped with a warning, so a crash while one was written falls back to the one before.
   */
  public Optional<Snapshot> loadNewest(Predicate<SnapshotMarker> usable) {
    for (Path file : snapshotFiles().reversed()) {
      SnapshotMarker marker = parse(file).orElseThrow();
      if (!usable.test(marker)) {
        log.info("snapshot {} has no WAL marker; skipping it", file);
        continue;
      }
      try {
        Snapshot s = read(file);
        if (!markerOf(s).equals(marker)) {
          throw new StorageCorruptionException(
              file, HEADER_BYTES, "holds snapshot " + markerOf(s) + ", its name says " + marker);
        }
        return Optional.of(s);
      } catch (StorageCorruptionException e) {
        log.warn("skipping corrupt snapshot: {}", e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** Reads and checks one snapshot file. */
  public Snapshot read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new StorageIoException(file, "read snapshot", e);
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    if (bytes.length < HEADER_BYTES) {
      throw new StorageCorruptionException(file, 0, "shorter than its header");
    }
    int length = buf.getInt(0);
    if (length < 0 || length != bytes.length - HEADER_BYTES) {
      throw new StorageCorruptionException(
          file, 0, "header says " + length + " bytes, file holds " + (bytes.length - HEADER_BYTES));
    }
    if (Crc32c.of(bytes, HEADER_BYTES, length) != buf.getInt(4)) {
      throw new StorageCorruptionException(file, HEADER_BYTES, "CRC32C mismatch");
    }
    try {
      return Snapshot.parseFrom(buf.slice(HEADER_BYTES, length));
    } catch (InvalidProtocolBufferException e) {
      throw new StorageCorruptionException(file, HEADER_BYTES, "does not parse as a Snapshot");
    }
  }

  /** Deletes all but the {@code keep} newest snapshot files (and leftover temporary files). */
  public void prune(int keep) {
    List<Path> files = snapshotFiles();
    try {
      for (Path file : files.subList(0, Math.max(0, files.size() - keep))) {
        Files.delete(file);
        log.info("pruned snapshot {}", file);
      }
      try (Stream<Path> s = Files.list(dir)) {
        for (Path tmp : s.filter(p -> p.toString().endsWith(".snap.tmp")).toList()) {
          Files.delete(tmp);
        }
      }
    } catch (IOException e) {
      throw new StorageIoException(dir, "prune snapshots", e);
    }
    Directories.fsync(dir);
  }

  /** The marker of the oldest snapshot file on disk, if any. */
  public Optional<SnapshotMarker> oldest() {
    return snapshotFiles().stream().findFirst().flatMap(Snapshotter::parse);
  }

  /** Snapshot files on disk, oldest first. */
  public List<Path> snapshotFiles() {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> parse(p).isPresent())
          .sorted(
              Comparator.comparing(
                  (Path p) -> parse(p).orElseThrow(),
                  Comparator.comparingLong(SnapshotMarker::index)
                      .thenComparingLong(SnapshotMarker::term)))
          .toList();
    } catch (IOException e) {
      throw new StorageIoException(dir, "list snapshots", e);
    }
  }

  public static SnapshotMarker markerOf(Snapshot s) {
    return new SnapshotMarker(s.getMetadata().getIndex(), s.getMetadata().getTerm());
  }

  static String fileName(SnapshotMarker m) {
    return String.format("%016x-%016x.snap", m.index(), m.term());
  }

  private static Optional<SnapshotMarker> parse(Path file) {
    Matcher m = NAME.matcher(file.getFileName().toString());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new SnapshotMarker(
            Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16)));
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("could not delete {}", file, e);
    }
  }
}

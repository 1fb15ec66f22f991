package io.ordo.storage.wal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.raft.Messages;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.HardState;
import io.ordo.storage.io.Directories;
import io.ordo.storage.io.FileAppender;
import io.ordo.storage.io.StorageCorruptionException;
import io.ordo.storage.io.StorageIoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log of one raft node in one directory. A single thread saves; each {@link #save}
 * is one write and at most one {@code force} (none for a commit-only HardState change when the
 * caller passes raft's {@code MustSync}), so a raft {@code Ready} costs at most one fsync.
 *
 * <p>After an I/O failure the WAL refuses further saves: the caller closes it and opens it again,
 * which reads back exactly what reached the disk.
 */
public final class Wal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Wal.class);
  private static final String LOCK_FILE = "wal.lock";
  private static final String TMP_SUFFIX = ".tmp";

  private final Path dir;
  private final WalOptions options;
  private final WalMetadata metadata;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final RecordEncoder encoder = new RecordEncoder(1 << 20);
  private final RecordEncoder headEncoder = new RecordEncoder(4096);
  private final ArrayList<SegmentName> segments;

  private FileAppender current;
  private long position;
  private long lastIndex;
  private HardState hardState;
  private SnapshotMarker newestMarker;
  private Exception failure;
  private boolean closed;

  /** A WAL just opened and what it held. */
  public record Opened(Wal wal, WalRecovery recovery) implements AutoCloseable {
    @Override
    public void close() {
      wal.close();
    }
  }

  private Wal(
      Path dir,
      WalOptions options,
      WalMetadata metadata,
      FileChannel lockChannel,
      FileLock lock,
      List<SegmentName> segments) {
    this.dir = dir;
    this.options = options;
    this.metadata = metadata;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.segments = new ArrayList<>(segments);
  }

  /** True if {@code dir} holds at least one WAL segment. */
  public static boolean exists(Path dir) {
    return Files.isDirectory(dir) && !listSegments(dir).isEmpty();
  }

  /** Creates a WAL in {@code dir}, which must not hold one yet. */
  public static Wal create(Path dir, WalMetadata metadata, WalOptions options) {
    Directories.create(dir);
    if (exists(dir)) {
      throw new IllegalStateException("a WAL already exists in " + dir);
    }
    FileLock[] lock = new FileLock[1];
    FileChannel lockChannel = acquireLock(dir, lock);
    Wal wal = new Wal(dir, options, metadata, lockChannel, lock[0], List.of());
    wal.hardState = Messages.EMPTY_HARD_STATE;
    wal.newestMarker = SnapshotMarker.ZERO;
    wal.lastIndex = 0;
    try {
      wal.startSegment(new SegmentName(0, 1));
    } catch (IOException e) {
      wal.releaseLock();
      throw new StorageIoException(dir, "create WAL", e);
    }
    log.info(
        "created WAL in {} for node {} channel {}", dir, metadata.nodeId(), metadata.channel());
    return wal;
  }

  /**
   * Opens the WAL in {@code dir}, repairing a torn tail of its newest segment.
   *
   * @throws StorageCorruptionException for damage a crash cannot explain
   */
  public static Opened open(Path dir, WalOptions options) {
    List<SegmentName> names = listSegments(dir);
    if (names.isEmpty()) {
      throw new IllegalStateException("no WAL in " + dir);
    }
    FileLock[] lock = new FileLock[1];
    FileChannel lockChannel = acquireLock(dir, lock);
    try {
      removeTemporaryFiles(dir);
      return recover(dir, options, names, lockChannel, lock[0]);
    } catch (RuntimeException e) {
      closeQuietly(lock[0], lockChannel);
      throw e;
    }
  }

  private static Opened recover(
      Path dir, WalOptions options, List<SegmentName> names, FileChannel lockChannel, FileLock lk) {
    for (int i = 1; i < names.size(); i++) {
      if (names.get(i).seq() != names.get(i - 1).seq() + 1) {
        throw new StorageCorruptionException(
            dir.resolve(names.get(i).fileName()),
            0,
            "segment sequence jumps from " + names.get(i - 1).seq() + " to " + names.get(i).seq());
      }
    }
    SegmentReader reader = new SegmentReader(options.channels());
    WalMetadata metadata = null;
    HardState hardState = null;
    SnapshotMarker newest = SnapshotMarker.ZERO;
    Set<SnapshotMarker> markers = new HashSet<>();
    List<WalRecovery.LocatedEntry> written = new ArrayList<>();
    long lastIndex = 0;
    long end = 0;
    for (int i = 0; i < names.size(); i++) {
      SegmentName name = names.get(i);
      Path file = dir.resolve(name.fileName());
      boolean newestSegment = i == names.size() - 1;
      SegmentScan scan = reader.scan(file);
      if (scan.damaged()) {
        if (!newestSegment || scan.validRecordAfter() >= 0) {
          String where =
              newestSegment
                  ? "; a valid record follows at offset " + scan.validRecordAfter()
                  : "; it is not the newest segment";
          throw new StorageCorruptionException(file, scan.validEnd(), scan.problem() + where);
        }
        log.warn(
            "WAL {}: cutting torn tail at offset {} ({})", file, scan.validEnd(), scan.problem());
        cut(file, scan.validEnd(), options);
      }
      List<WalRecord> records = scan.records();
      checkHeader(name, file, records);
      for (WalRecord r : records) {
        switch (r.type()) {
          case SEGMENT_HEADER -> {}
          case METADATA -> {
            WalMetadata m = WalMetadata.decode(r.payload().duplicate());
            if (metadata != null && !metadata.equals(m)) {
              throw new StorageCorruptionException(
                  file,
                  r.offset(),
                  "metadata " + m + " differs from earlier segments' " + metadata);
            }
            metadata = m;
          }
          case ENTRY -> {
            Entry e = parseEntry(r);
            written.add(new WalRecovery.LocatedEntry(e, file, r.offset()));
            lastIndex = e.getIndex();
          }
          case HARD_STATE -> hardState = parseHardState(r);
          case SNAPSHOT_MARKER -> {
            ByteBuffer p = r.payload().duplicate();
            SnapshotMarker m = new SnapshotMarker(p.getLong(), p.getLong());
            markers.add(m);
            if (m.index() >= newest.index()) {
              newest = m;
            }
            lastIndex = Math.max(lastIndex, m.index());
          }
        }
      }
      end = scan.validEnd();
    }
    Wal wal = new Wal(dir, options, metadata, lockChannel, lk, names);
    wal.hardState = hardState == null ? Messages.EMPTY_HARD_STATE : hardState;
    wal.newestMarker = newest;
    wal.lastIndex = lastIndex;
    wal.position = end;
    Path last = dir.resolve(names.getLast().fileName());
    try {
      wal.current = FileAppender.open(options.channels(), last, end, options.directWrites());
    } catch (IOException e) {
      throw new StorageIoException(last, "open for append", e);
    }
    log.info(
        "opened WAL {}: {} segments, {} entry records, last index {}, {}",
        dir,
        names.size(),
        written.size(),
        lastIndex,
        wal.hardState.toString().replace('\n', ' '));
    return new Opened(wal, new WalRecovery(metadata, hardState, markers, written));
  }

  /**
   * Writes the snapshot marker, the entries and the HardState (each may be absent: null, empty
   * list, or the empty HardState) in one write, then forces them to disk once. Entries must have
   * consecutive indexes; one at or below the last index replaces the suffix from it on.
   */
  public synchronized void save(HardState hs, List<Entry> entries, SnapshotMarker marker) {
    save(hs, entries, marker, true);
  }

  /**
   * As {@link #save(HardState, List, SnapshotMarker)}, forcing to disk only when {@code sync}:
   * raft's {@code MustSync} is false for a commit-only HardState change, which a crash may lose
   * without harm (the commit index is learnt again from the leader). A later synced save makes it
   * durable too.
   */
  public synchronized void save(
      HardState hs, List<Entry> entries, SnapshotMarker marker, boolean sync) {
    ensureUsable();
    checkContiguous(entries, marker);
    encoder.clear();
    if (marker != null) {
      encoder.add(RecordType.SNAPSHOT_MARKER, markerBytes(marker));
    }
    for (Entry e : entries) {
      encoder.add(RecordType.ENTRY, e);
    }
    boolean hasState = hs != null && !hs.equals(Messages.EMPTY_HARD_STATE);
    if (hasState) {
      encoder.add(RecordType.HARD_STATE, hs);
    }
    if (encoder.size() == 0) {
      return;
    }
    Path file = currentFile();
    String step = "write";
    long start = position;
    try {
      if (start + encoder.size() > options.segmentBytes() && !segmentHoldsOnlyHeader()) {
        step = "cut segment";
        roll();
        file = currentFile();
        start = position;
        step = "write";
      }
      current.append(encoder.framed());
      options.observer().written(encoder.size());
      if (sync || marker != null) {
        step = "fsync";
        long syncStart = System.nanoTime();
        current.force(false);
        options.observer().synced(System.nanoTime() - syncStart);
      }
    } catch (IOException e) {
      fail(file, start, e);
      throw new StorageIoException(file, step + " at offset " + start, e);
    }
    position = start + encoder.size();
    if (marker != null) {
      lastIndex = Math.max(lastIndex, marker.index());
      if (marker.index() >= newestMarker.index()) {
        newestMarker = marker;
      }
    }
    if (!entries.isEmpty()) {
      lastIndex = entries.getLast().getIndex();
    }
    if (hasState) {
      hardState = hs;
    }
  }

  /**
   * Removes the segments all of whose entries are below {@code index - releaseMarginEntries}; the
   * newest segment always stays. Call it after a snapshot at {@code index} is durable.
   */
  public synchronized void releaseTo(long index) {
    ensureOpen();
    long limit = index - options.releaseMarginEntries();
    int removable = 0;
    while (removable + 1 < segments.size() && segments.get(removable + 1).firstIndex() <= limit) {
      removable++;
    }
    if (removable == 0) {
      return;
    }
    for (int i = 0; i < removable; i++) {
      Path file = dir.resolve(segments.getFirst().fileName());
      try {
        Files.delete(file);
      } catch (IOException e) {
        throw new StorageIoException(file, "delete released segment", e);
      }
      segments.removeFirst();
      log.info("WAL {}: released {} (below index {})", dir, file.getFileName(), limit);
    }
    Directories.fsync(dir);
  }

  public WalMetadata metadata() {
    return metadata;
  }

  /** The index of the last entry saved (or of the newest snapshot marker, if higher). */
  public synchronized long lastIndex() {
    return lastIndex;
  }

  /** The number of segment files on disk. */
  public synchronized int segmentCount() {
    return segments.size();
  }

  public Path directory() {
    return dir;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (current != null) {
        if (failure == null && !options.preallocate() && current.size() > position) {
          // the zeros of the last direct write: a segment that is not preallocated ends with its
          // last record
          current.truncate(position);
          current.force(true);
        }
        current.close();
      }
    } catch (IOException e) {
      log.warn("WAL {}: closing {} failed", dir, currentFile(), e);
    } finally {
      releaseLock();
    }
  }

  private void roll() throws IOException {
    current.truncate(position);
    long syncStart = System.nanoTime();
    current.force(true);
    options.observer().synced(System.nanoTime() - syncStart);
    current.close();
    current = null;
    SegmentName last = segments.getLast();
    startSegment(new SegmentName(last.seq() + 1, lastIndex + 1));
  }

  /** Writes a new segment's head records under a temporary name, then renames it into place. */
  private void startSegment(SegmentName name) throws IOException {
    Path file = dir.resolve(name.fileName());
    Path tmp = dir.resolve(name.fileName() + TMP_SUFFIX);
    headEncoder.clear();
    headEncoder.add(
        RecordType.SEGMENT_HEADER,
        ByteBuffer.allocate(16).putLong(name.seq()).putLong(name.firstIndex()).array());
    headEncoder.add(RecordType.METADATA, metadata.encode());
    headEncoder.add(RecordType.SNAPSHOT_MARKER, markerBytes(newestMarker));
    if (!hardState.equals(Messages.EMPTY_HARD_STATE)) {
      headEncoder.add(RecordType.HARD_STATE, hardState);
    }
    int headerBytes = headEncoder.size();
    FileChannel ch =
        options
            .channels()
            .open(
                tmp,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
    try (ch) {
      writeFully(ch, headEncoder.framed(), 0);
      options.observer().written(headerBytes);
      if (options.preallocate() && options.segmentBytes() > headerBytes) {
        // a byte at the end makes a sparse file of full size, so saves do not grow the file
        writeFully(ch, ByteBuffer.allocate(1), options.segmentBytes() - 1);
      }
      ch.force(true);
    }
    headEncoder.clear();
    Directories.renameDurably(tmp, file);
    current = FileAppender.open(options.channels(), file, headerBytes, options.directWrites());
    position = headerBytes;
    segments.add(name);
  }

  private boolean segmentHoldsOnlyHeader() {
    // a save larger than a segment gets a segment of its own rather than an endless roll
    return position <= 512;
  }

  private void fail(Path file, long start, IOException cause) {
    failure = cause;
    try {
      if (current != null) {
        current.truncate(start);
      }
    } catch (IOException e) {
      cause.addSuppressed(e);
      log.error(
          "WAL {}: could not cut back to offset {} after a failure ({})",
          file,
          start,
          e.getMessage());
    }
    // the operating system's words say it all (a full disk, a failed fsync): one line, no stack
    log.error(
        "WAL {}: I/O failure at offset {} ({}); the WAL must be reopened",
        file,
        start,
        cause.getMessage());
  }

  private void ensureUsable() {
    ensureOpen();
    if (failure != null) {
      throw new IllegalStateException(
          "WAL " + dir + " failed earlier (" + failure.getMessage() + "); close and reopen it",
          failure);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("WAL " + dir + " is closed");
    }
  }

  private void checkContiguous(List<Entry> entries, SnapshotMarker marker) {
    if (entries.isEmpty()) {
      return;
    }
    long limit = Math.max(lastIndex, marker == null ? 0 : marker.index()) + 1;
    long first = entries.getFirst().getIndex();
    if (first > limit || first < 1) {
      throw new IllegalArgumentException(
          "WAL " + dir + ": entry " + first + " would leave a gap after last index " + lastIndex);
    }
    for (int i = 1; i < entries.size(); i++) {
      if (entries.get(i).getIndex() != first + i) {
        throw new IllegalArgumentException(
            "WAL " + dir + ": entries are not consecutive at " + entries.get(i).getIndex());
      }
    }
  }

  private Path currentFile() {
    return dir.resolve(segments.isEmpty() ? "(none)" : segments.getLast().fileName());
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
    long pos = at;
    while (buf.hasRemaining()) {
      pos += ch.write(buf, pos);
    }
  }

  private static byte[] markerBytes(SnapshotMarker m) {
    return ByteBuffer.allocate(16).putLong(m.index()).putLong(m.term()).array();
  }

  private static void checkHeader(SegmentName name, Path file, List<WalRecord> records) {
    if (records.isEmpty() || records.getFirst().type() != RecordType.SEGMENT_HEADER) {
      throw new StorageCorruptionException(file, 0, "segment does not start with its header");
    }
    ByteBuffer p = records.getFirst().payload().duplicate();
    long seq = p.getLong();
    long first = p.getLong();
    if (seq != name.seq() || first != name.firstIndex()) {
      throw new StorageCorruptionException(
          file, 0, "segment header says seq " + seq + " first index " + first + ", name disagrees");
    }
  }

  private static Entry parseEntry(WalRecord r) {
    try {
      return Entry.parseFrom(r.payload().duplicate());
    } catch (InvalidProtocolBufferException e) {
      throw new StorageCorruptionException(r.file(), r.offset(), "entry record does not parse");
    }
  }

  private static HardState parseHardState(WalRecord r) {
    try {
      return HardState.parseFrom(r.payload().duplicate());
    } catch (InvalidProtocolBufferException e) {
      throw new StorageCorruptionException(r.file(), r.offset(), "HardState record does not parse");
    }
  }

  private static void cut(Path file, long end, WalOptions options) {
    try (FileChannel ch = options.channels().open(file, StandardOpenOption.WRITE)) {
      ch.truncate(end);
      ch.force(true);
    } catch (IOException e) {
      throw new StorageIoException(file, "cut torn tail at offset " + end, e);
    }
  }

  private static List<SegmentName> listSegments(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> SegmentName.parse(p.getFileName().toString()))
          .flatMap(Optional::stream)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new StorageIoException(dir, "list", e);
    }
  }

  private static void removeTemporaryFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.toString().endsWith(TMP_SUFFIX)).toList()) {
        log.warn("WAL {}: removing unfinished segment {}", dir, p.getFileName());
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new StorageIoException(dir, "remove temporary files", e);
    }
  }

  private static FileChannel acquireLock(Path dir, FileLock[] out) {
    Path file = dir.resolve(LOCK_FILE);
    FileChannel ch = null;
    try {
      ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
      FileLock lk = ch.tryLock();
      if (lk == null) {
        throw new IllegalStateException("WAL " + dir + " is in use by another process");
      }
      out[0] = lk;
      return ch;
    } catch (OverlappingFileLockException e) {
      closeQuietly(null, ch);
      throw new IllegalStateException("WAL " + dir + " is already open in this process", e);
    } catch (IOException e) {
      closeQuietly(null, ch);
      throw new StorageIoException(file, "lock", e);
    } catch (RuntimeException e) {
      closeQuietly(null, ch);
      throw e;
    }
  }

  private void releaseLock() {
    closeQuietly(lock, lockChannel);
  }

  private static void closeQuietly(FileLock lk, FileChannel ch) {
    try {
      if (lk != null && lk.isValid()) {
        lk.release();
      }
      if (ch != null) {
        ch.close();
      }
    } catch (IOException e) {
      log.warn("could not release a WAL lock", e);
    }
  }
}

package io.ordo.storage.ledger;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.storage.io.ChannelFactory;
import io.ordo.storage.io.Crc32c;
import io.ordo.storage.io.Directories;
import io.ordo.storage.io.StorageCorruptionException;
import io.ordo.storage.io.StorageIoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a ledger directory to a state where the index and the block files agree.
 *
 * <ul>
 *   <li>The index is trusted up to its last whole record. A torn last record is dropped; a bad
 *       record with good ones after it, or records that do not chain, mean the index is damaged and
 *       it is rebuilt from the block files, as when it is missing.
 *   <li>The last indexed block must be intact: its bytes were fsynced before its index record was
 *       written, so damage there is corruption, not a crash.
 *   <li>Whole blocks after the last indexed one (written, but the crash came before their index
 *       record) are indexed. A torn block at the end of the newest file, with nothing valid after
 *       it, is cut, and so are zeros after the last block of a file (a direct write pads the file
 *       to a whole disk block). Anything else is corruption, named by file and offset.
 * </ul>
 */
final class LedgerRecovery {
  static final String INDEX_FILE = "index";
  private static final Logger log = LoggerFactory.getLogger(LedgerRecovery.class);

  /** More zeros than a direct write pads with are not padding. */
  private static final int MAX_PADDING = 1 << 16;

  private static final Pattern DATA_FILE = Pattern.compile("blockfile_(\\d{6})");

  private final Path dir;
  private final ChannelFactory channels;

  /**
   * The recovered index and where the next block goes.
   *
   * @param first the number of the first block held ({@code locations.get(0)})
   * @param firstFile the block file that holds it
   * @param headerBytes the size of the index's header record: 0 for an index that starts at block 0
   *     in block file 0 without one
   */
  record Result(
      long first,
      int firstFile,
      int headerBytes,
      List<BlockLocation> locations,
      int lastFile,
      long lastFileEnd) {}

  /** An index read from disk. */
  private record Index(long first, int firstFile, int headerBytes, List<BlockLocation> locs) {}

  LedgerRecovery(Path dir, ChannelFactory channels) {
    this.dir = dir;
    this.channels = channels;
  }

  Result recover() {
    // a prune or a start at a later block that a crash cut short before its rename
    deleteIfExists(dir.resolve(INDEX_FILE + ".tmp"));
    boolean indexExists = Files.exists(dir.resolve(INDEX_FILE));
    List<Integer> files = dataFiles();
    // a new ledger has neither blocks nor an index: nothing to warn about
    boolean fresh = files.isEmpty() && !indexExists;
    Index index = fresh ? null : loadIndex();
    int firstFile = index != null ? index.firstFile() : files.isEmpty() ? 0 : files.getFirst();
    files = dropPruned(files, firstFile);
    if (files.isEmpty()) {
      create(dir.resolve(BlockFrames.fileName(firstFile)));
      files = List.of(firstFile);
    }
    for (int i = 0; i < files.size(); i++) {
      if (files.get(i) != firstFile + i) {
        throw new StorageCorruptionException(
            dir.resolve(BlockFrames.fileName(firstFile + i)), 0, "block file is missing");
      }
    }
    int lastFile = files.getLast();
    boolean rebuild = index == null;
    List<BlockLocation> locs;
    long first;
    int headerBytes;
    if (rebuild) {
      locs = new ArrayList<>();
      // a ledger started at a later block holds it at the start of file 0: the frame says which
      first = firstFile == 0 ? firstNumberOrZero() : firstNumberIn(firstFile);
      headerBytes = first == 0 && firstFile == 0 ? 0 : BlockLocation.RECORD_BYTES;
    } else {
      locs = index.locs();
      first = index.first();
      headerBytes = index.headerBytes();
      if (!locs.isEmpty()) {
        checkIndexed(first + locs.size() - 1, locs.getLast(), lastFile);
      }
    }
    int indexed = locs.size();
    BlockLocation last = locs.isEmpty() ? null : locs.getLast();
    int file = last == null ? firstFile : last.file();
    long offset = last == null ? 0 : last.end();
    long end = offset;
    for (; file <= lastFile; file++, offset = 0) {
      end = scanTail(file, offset, file == lastFile, first, locs);
    }
    if (rebuild) {
      writeIndex(first, firstFile, headerBytes, locs);
      if (!fresh) {
        log.warn(
            "ledger {}: rebuilt the index from the block files ({} blocks from block {}{})",
            dir,
            locs.size(),
            first,
            firstFile == 0
                ? ""
                : "; the first block file is "
                    + BlockFrames.fileName(firstFile)
                    + ", the blocks before it are not in this folder");
      }
    } else {
      appendIndex(locs, indexed, headerBytes);
    }
    return new Result(first, firstFile, headerBytes, locs, lastFile, end);
  }

  /**
   * Deletes the block files below {@code firstFile}: a prune removes them only after its index
   * names the new first block, so a crash in between leaves them behind.
   */
  private List<Integer> dropPruned(List<Integer> files, int firstFile) {
    List<Integer> kept = new ArrayList<>();
    int dropped = 0;
    for (int f : files) {
      if (f < firstFile) {
        deleteIfExists(dir.resolve(BlockFrames.fileName(f)));
        dropped++;
      } else {
        kept.add(f);
      }
    }
    if (dropped > 0) {
      Directories.fsync(dir);
      log.info(
          "ledger {}: deleted {} block files below {} that an interrupted prune left",
          dir,
          dropped,
          BlockFrames.fileName(firstFile));
    }
    return kept;
  }

  /**
   * The number of the block that starts block file 0 when it starts with a whole one, else 0 (a
   * torn first block is the scan's to cut, as before pruning existed).
   */
  private long firstNumberOrZero() {
    try {
      return firstNumberIn(0);
    } catch (StorageCorruptionException e) {
      return 0;
    }
  }

  /** The number of the block that starts block file {@code fileNo}, for an index rebuilt. */
  private long firstNumberIn(int fileNo) {
    Path file = dir.resolve(BlockFrames.fileName(fileNo));
    ByteBuffer buf = readAll(file, 0);
    if (buf.limit() < BlockFrames.HEADER_BYTES) {
      throw new StorageCorruptionException(
          file, 0, "the first block file holds no block, so the ledger's first block is unknown");
    }
    int len = buf.getInt(0);
    if (len <= 0
        || BlockFrames.HEADER_BYTES + (long) len > buf.limit()
        || Crc32c.of(buf, BlockFrames.HEADER_BYTES, len) != buf.getInt(4)) {
      throw new StorageCorruptionException(
          file, 0, "the first block file does not start with a whole block");
    }
    try {
      return Block.parseFrom(buf.slice(BlockFrames.HEADER_BYTES, len)).getHeader().getNumber();
    } catch (InvalidProtocolBufferException e) {
      throw new StorageCorruptionException(file, 0, "the first block does not parse");
    }
  }

  /** Reads whole index records; null if the index is missing or damaged. */
  private Index loadIndex() {
    Path file = dir.resolve(INDEX_FILE);
    if (!Files.exists(file)) {
      log.warn("ledger {}: no index file", dir);
      return null;
    }
    ByteBuffer buf = readAll(file, 0);
    int whole = buf.limit() / BlockLocation.RECORD_BYTES;
    long first = 0;
    int firstFile = 0;
    int start = 0;
    BlockLocation header = whole == 0 ? null : BlockLocation.readFrom(buf, 0);
    if (header != null && header.isHeader()) {
      // written whole before its rename, so never torn
      if (header.offset() < 0 || header.length() < 0) {
        log.warn("ledger {}: the index header is damaged", dir);
        return null;
      }
      first = header.offset();
      firstFile = header.length();
      start = 1;
    }
    List<BlockLocation> locs = new ArrayList<>(whole);
    for (int i = start; i < whole; i++) {
      BlockLocation loc = BlockLocation.readFrom(buf, i * BlockLocation.RECORD_BYTES);
      if (loc == null) {
        if (i == whole - 1) {
          log.warn("ledger {}: dropping torn index record {}", dir, i);
          break;
        }
        log.warn("ledger {}: index record {} of {} is damaged", dir, i, whole);
        return null;
      }
      BlockLocation prev = locs.isEmpty() ? null : locs.getLast();
      boolean chains =
          prev == null
              ? loc.file() == firstFile && loc.offset() == 0
              : (loc.file() == prev.file() && loc.offset() == prev.end())
                  || (loc.file() == prev.file() + 1 && loc.offset() == 0);
      if (!chains || loc.length() < 0) {
        log.warn("ledger {}: index record {} does not follow record {}", dir, i, i - 1);
        return null;
      }
      locs.add(loc);
    }
    return new Index(first, firstFile, start * BlockLocation.RECORD_BYTES, locs);
  }

  private void checkIndexed(long number, BlockLocation loc, int lastFile) {
    Path file = dir.resolve(BlockFrames.fileName(loc.file()));
    if (loc.file() > lastFile) {
      throw new StorageCorruptionException(
          file, loc.offset(), "indexed block " + number + " is in a missing file");
    }
    String problem = frameProblem(file, readAll(file, loc.offset()), 0, number);
    if (problem != null) {
      throw new StorageCorruptionException(
          file, loc.offset(), "indexed block " + number + ": " + problem);
    }
  }

  /** Indexes whole blocks from {@code offset} on; cuts a torn tail of the newest file. */
  private long scanTail(
      int fileNo, long offset, boolean newest, long first, List<BlockLocation> locs) {
    Path file = dir.resolve(BlockFrames.fileName(fileNo));
    ByteBuffer rest = readAll(file, offset);
    int at = 0;
    while (at < rest.limit()) {
      String problem = frameProblem(file, rest, at, first + locs.size());
      if (problem == null) {
        int len = rest.getInt(at);
        locs.add(new BlockLocation(fileNo, offset + at, len));
        at += BlockFrames.HEADER_BYTES + len;
        continue;
      }
      long bad = offset + at;
      if (zerosFrom(rest, at) && rest.limit() - at < MAX_PADDING) {
        // what a direct write pads the last block of the file with: the end, not damage
        log.debug("ledger {}: zeros after the last block at offset {}", file, bad);
        truncate(file, bad);
        return bad;
      }
      if (!newest) {
        throw new StorageCorruptionException(file, bad, problem + "; not the newest block file");
      }
      int after = validFrameAfter(rest, at);
      if (after >= 0) {
        throw new StorageCorruptionException(
            file, bad, problem + "; a valid block frame follows at offset " + (offset + after));
      }
      log.warn("ledger {}: cutting torn block at offset {} ({})", file, bad, problem);
      truncate(file, bad);
      return bad;
    }
    return offset + rest.limit();
  }

  /** Null if a whole, intact block numbered {@code number} is framed at {@code at}. */
  private static String frameProblem(Path file, ByteBuffer buf, int at, long number) {
    if (buf.limit() - at < BlockFrames.HEADER_BYTES) {
      return "partial block frame header";
    }
    int len = buf.getInt(at);
    if (len <= 0 || (long) at + BlockFrames.HEADER_BYTES + len > buf.limit()) {
      return "block frame length " + len + " runs past the end of the file";
    }
    if (Crc32c.of(buf, at + BlockFrames.HEADER_BYTES, len) != buf.getInt(at + 4)) {
      return "block CRC32C mismatch";
    }
    try {
      long actual =
          Block.parseFrom(buf.slice(at + BlockFrames.HEADER_BYTES, len)).getHeader().getNumber();
      if (actual != number) {
        return "holds block " + actual + " where block " + number + " belongs";
      }
    } catch (InvalidProtocolBufferException e) {
      return "block does not parse";
    }
    return null;
  }

  private static boolean zerosFrom(ByteBuffer buf, int at) {
    for (int p = at; p < buf.limit(); p++) {
      if (buf.get(p) != 0) {
        return false;
      }
    }
    return true;
  }

  private static int validFrameAfter(ByteBuffer buf, int bad) {
    for (int p = bad + 1; p + BlockFrames.HEADER_BYTES <= buf.limit(); p++) {
      int len = buf.getInt(p);
      if (len > 0
          && (long) p + BlockFrames.HEADER_BYTES + len <= buf.limit()
          && Crc32c.of(buf, p + BlockFrames.HEADER_BYTES, len) == buf.getInt(p + 4)) {
        return p;
      }
    }
    return -1;
  }

  private void appendIndex(List<BlockLocation> locs, int from, int headerBytes) {
    Path file = dir.resolve(INDEX_FILE);
    long at = headerBytes + (long) from * BlockLocation.RECORD_BYTES;
    try (FileChannel ch = channels.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(at);
      if (from < locs.size()) {
        ByteBuffer buf = ByteBuffer.allocate((locs.size() - from) * BlockLocation.RECORD_BYTES);
        locs.subList(from, locs.size()).forEach(l -> l.writeTo(buf));
        BlockLedger.writeFully(ch, buf.flip(), at);
        log.warn("ledger {}: indexed {} blocks found after the index", dir, locs.size() - from);
      }
      ch.force(false);
    } catch (IOException e) {
      throw new StorageIoException(file, "update index", e);
    }
  }

  private void writeIndex(long first, int firstFile, int headerBytes, List<BlockLocation> locs) {
    Path tmp = dir.resolve(INDEX_FILE + ".tmp");
    ByteBuffer buf = ByteBuffer.allocate(headerBytes + locs.size() * BlockLocation.RECORD_BYTES);
    if (headerBytes > 0) {
      BlockLocation.header(first, firstFile).writeTo(buf);
    }
    locs.forEach(l -> l.writeTo(buf));
    try (FileChannel ch =
        channels.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      BlockLedger.writeFully(ch, buf.flip(), 0);
      ch.force(true);
    } catch (IOException e) {
      throw new StorageIoException(tmp, "write rebuilt index", e);
    }
    Directories.renameDurably(tmp, dir.resolve(INDEX_FILE));
  }

  private void deleteIfExists(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new StorageIoException(file, "delete", e);
    }
  }

  private void create(Path file) {
    try (FileChannel ch =
        channels.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ch.force(true);
    } catch (IOException e) {
      throw new StorageIoException(file, "create", e);
    }
    Directories.fsync(dir);
  }

  private void truncate(Path file, long at) {
    try (FileChannel ch = channels.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(at);
      ch.force(true);
    } catch (IOException e) {
      throw new StorageIoException(file, "cut torn block at offset " + at, e);
    }
  }

  private ByteBuffer readAll(Path file, long from) {
    try (FileChannel ch = channels.open(file, StandardOpenOption.READ)) {
      long size = Math.max(0, ch.size() - from);
      if (size > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException(file + " holds more than 2 GiB after offset " + from);
      }
      ByteBuffer buf = ByteBuffer.allocate((int) size);
      while (buf.hasRemaining()) {
        if (ch.read(buf, from + buf.position()) < 0) {
          break;
        }
      }
      return buf.flip();
    } catch (IOException e) {
      throw new StorageIoException(file, "read", e);
    }
  }

  private List<Integer> dataFiles() {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> DATA_FILE.matcher(p.getFileName().toString()))
          .filter(Matcher::matches)
          .map(m -> Integer.parseInt(m.group(1)))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new StorageIoException(dir, "list block files", e);
    }
  }
}

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

  /** The recovered index and where the next block goes. */
  record Result(List<BlockLocation> locations, int lastFile, long lastFileEnd) {}

  LedgerRecovery(Path dir, ChannelFactory channels) {
    this.dir = dir;
    this.channels = channels;
  }

  Result recover() {
    List<Integer> files = dataFiles();
    // a new ledger has neither blocks nor an index: nothing to warn about
    boolean fresh = files.isEmpty() && !Files.exists(dir.resolve(INDEX_FILE));
    if (files.isEmpty()) {
      create(dir.resolve(BlockFrames.fileName(0)));
      files = List.of(0);
    }
    for (int i = 0; i < files.size(); i++) {
      if (files.get(i) != i) {
        throw new StorageCorruptionException(
            dir.resolve(BlockFrames.fileName(i)), 0, "block file is missing");
      }
    }
    int lastFile = files.getLast();
    List<BlockLocation> locs = fresh ? null : loadIndex();
    boolean rebuild = locs == null;
    if (rebuild) {
      locs = new ArrayList<>();
    } else if (!locs.isEmpty()) {
      checkIndexed(locs.size() - 1, locs.getLast(), lastFile);
    }
    int indexed = locs.size();
    BlockLocation last = locs.isEmpty() ? null : locs.getLast();
    int file = last == null ? 0 : last.file();
    long offset = last == null ? 0 : last.end();
    long end = offset;
    for (; file <= lastFile; file++, offset = 0) {
      end = scanTail(file, offset, file == lastFile, locs);
    }
    if (rebuild) {
      writeIndex(locs);
      if (!fresh) {
        log.warn("ledger {}: rebuilt the index from the block files ({} blocks)", dir, locs.size());
      }
    } else {
      appendIndex(locs, indexed);
    }
    return new Result(locs, lastFile, end);
  }

  /** Reads whole index records; null if the index is missing or damaged. */
  private List<BlockLocation> loadIndex() {
    Path file = dir.resolve(INDEX_FILE);
    if (!Files.exists(file)) {
      log.warn("ledger {}: no index file", dir);
      return null;
    }
    ByteBuffer buf = readAll(file, 0);
    int whole = buf.limit() / BlockLocation.RECORD_BYTES;
    List<BlockLocation> locs = new ArrayList<>(whole);
    for (int i = 0; i < whole; i++) {
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
              ? loc.file() == 0 && loc.offset() == 0
              : (loc.file() == prev.file() && loc.offset() == prev.end())
                  || (loc.file() == prev.file() + 1 && loc.offset() == 0);
      if (!chains || loc.length() < 0) {
        log.warn("ledger {}: index record {} does not follow record {}", dir, i, i - 1);
        return null;
      }
      locs.add(loc);
    }
    return locs;
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
  private long scanTail(int fileNo, long offset, boolean newest, List<BlockLocation> locs) {
    Path file = dir.resolve(BlockFrames.fileName(fileNo));
    ByteBuffer rest = readAll(file, offset);
    int at = 0;
    while (at < rest.limit()) {
      String problem = frameProblem(file, rest, at, locs.size());
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

  private void appendIndex(List<BlockLocation> locs, int from) {
    Path file = dir.resolve(INDEX_FILE);
    try (FileChannel ch = channels.open(file, StandardOpenOption.WRITE)) {
      ch.truncate((long) from * BlockLocation.RECORD_BYTES);
      if (from < locs.size()) {
        ByteBuffer buf = ByteBuffer.allocate((locs.size() - from) * BlockLocation.RECORD_BYTES);
        locs.subList(from, locs.size()).forEach(l -> l.writeTo(buf));
        BlockLedger.writeFully(ch, buf.flip(), (long) from * BlockLocation.RECORD_BYTES);
        log.warn("ledger {}: indexed {} blocks found after the index", dir, locs.size() - from);
      }
      ch.force(false);
    } catch (IOException e) {
      throw new StorageIoException(file, "update index", e);
    }
  }

  private void writeIndex(List<BlockLocation> locs) {
    Path tmp = dir.resolve(INDEX_FILE + ".tmp");
    ByteBuffer buf = ByteBuffer.allocate(locs.size() * BlockLocation.RECORD_BYTES);
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

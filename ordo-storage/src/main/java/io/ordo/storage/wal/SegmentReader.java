package io.ordo.storage.wal;

import io.ordo.storage.io.ChannelFactory;
import io.ordo.storage.io.StorageIoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads a segment into whole records. Reading stops at the first record that is not whole: a
 * partial header, a length past the end of the file, an unknown type, a checksum mismatch, or a
 * zero header followed by non-zero bytes. A zero header followed only by zeros is the clean end of
 * a pre-allocated segment.
 */
final class SegmentReader {
  private final ChannelFactory channels;

  SegmentReader(ChannelFactory channels) {
    this.channels = channels;
  }

  SegmentScan scan(Path file) {
    ByteBuffer data = readAll(file);
    int limit = data.limit();
    List<WalRecord> records = new ArrayList<>();
    int off = 0;
    while (off < limit) {
      String problem = problemAt(data, off, limit);
      if (problem == null) {
        int len = data.getInt(off);
        RecordType type = RecordType.of(data.get(off + 8));
        records.add(
            new WalRecord(
                type,
                data.slice(off + RecordEncoder.HEADER_BYTES, len).asReadOnlyBuffer(),
                file,
                off));
        off += RecordEncoder.HEADER_BYTES + len;
      } else if (problem.isEmpty()) {
        if (allZero(data, off, limit)) {
          return new SegmentScan(file, records, off, null, -1);
        }
        return damaged(file, records, off, data, "zero record header followed by non-zero bytes");
      } else {
        return damaged(file, records, off, data, problem);
      }
    }
    return new SegmentScan(file, records, off, null, -1);
  }

  private static SegmentScan damaged(
      Path file, List<WalRecord> records, int off, ByteBuffer data, String problem) {
    long after = -1;
    for (int p = off + 1; p + RecordEncoder.HEADER_BYTES <= data.limit(); p++) {
      String other = problemAt(data, p, data.limit());
      if (other == null && data.getInt(p) > 0) {
        after = p;
        break;
      }
    }
    return new SegmentScan(file, records, off, problem, after);
  }

  /** Null for a whole record, "" for an all-zero header, otherwise what is wrong. */
  private static String problemAt(ByteBuffer data, int off, int limit) {
    if (limit - off < RecordEncoder.HEADER_BYTES) {
      return allZero(data, off, limit) ? "" : "partial record header";
    }
    int len = data.getInt(off);
    int crc = data.getInt(off + 4);
    byte code = data.get(off + 8);
    if (len == 0 && crc == 0 && code == 0) {
      return "";
    }
    if (RecordType.of(code) == null) {
      return "unknown record type " + code;
    }
    if (len < 0 || (long) off + RecordEncoder.HEADER_BYTES + len > limit) {
      return "record length " + len + " runs past the end of the file (" + limit + " bytes)";
    }
    CRC32C actual = new CRC32C();
    actual.update(data.slice(off + 8, 1 + len));
    if ((int) actual.getValue() != crc) {
      return "CRC32C mismatch in a record of " + len + " bytes";
    }
    return null;
  }

  private static boolean allZero(ByteBuffer data, int from, int to) {
    for (int i = from; i < to; i++) {
      if (data.get(i) != 0) {
        return false;
      }
    }
    return true;
  }

  private ByteBuffer readAll(Path file) {
    try (FileChannel ch = channels.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException(file + " is larger than 2 GiB: not a WAL segment");
      }
      ByteBuffer buf = ByteBuffer.allocate((int) size);
      while (buf.hasRemaining()) {
        if (ch.read(buf, buf.position()) < 0) {
          break;
        }
      }
      return buf.flip();
    } catch (IOException e) {
      throw new StorageIoException(file, "read", e);
    }
  }
}

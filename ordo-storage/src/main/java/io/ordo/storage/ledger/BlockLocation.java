package io.ordo.storage.ledger;

import io.ordo.storage.io.Crc32c;
import java.nio.ByteBuffer;

/**
 * Where block bytes are: block file number, offset of the frame, length of the block bytes. In the
 * index file each location is a record of {@link #RECORD_BYTES}: file (int32), offset (int64),
 * length (int32), CRC32C of those 16 bytes (int32).
 *
 * <p>An index whose first block is not block 0 (the ledger was pruned, or started at a later block)
 * begins with a header record of the same shape: file {@link #HEADER_FILE}, offset the number of
 * the first block, length the number of its block file. An index without one starts at block 0 in
 * block file 0, as every ledger written before pruning existed.
 */
record BlockLocation(int file, long offset, int length) {
  static final int RECORD_BYTES = 20;

  /** The file number that marks the header record, which no block file has. */
  static final int HEADER_FILE = -1;

  /** The header record of an index whose first record is block {@code first}, in {@code file}. */
  static BlockLocation header(long first, int file) {
    return new BlockLocation(HEADER_FILE, first, file);
  }

  boolean isHeader() {
    return file == HEADER_FILE;
  }

  /** Offset just past this block's frame. */
  long end() {
    return offset + BlockFrames.HEADER_BYTES + length;
  }

  void writeTo(ByteBuffer buf) {
    int start = buf.position();
    buf.putInt(file).putLong(offset).putInt(length);
    buf.putInt(Crc32c.of(buf, start, 16));
  }

  /** The record at {@code buf}'s position, or null if its checksum does not match. */
  static BlockLocation readFrom(ByteBuffer buf, int at) {
    int crc = buf.getInt(at + 16);
    if (Crc32c.of(buf, at, 16) != crc) {
      return null;
    }
    return new BlockLocation(buf.getInt(at), buf.getLong(at + 4), buf.getInt(at + 12));
  }
}

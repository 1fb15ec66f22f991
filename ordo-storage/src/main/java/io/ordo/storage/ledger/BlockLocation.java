package io.ordo.storage.ledger;

import io.ordo.storage.io.Crc32c;
import java.nio.ByteBuffer;

/**
 * Where block bytes are: block file number, offset of the frame, length of the block bytes. In the
 * index file each location is a record of {@link #RECORD_BYTES}: file (int32), offset (int64),
 * length (int32), CRC32C of those 16 bytes (int32).
 */
record BlockLocation(int file, long offset, int length) {
  static final int RECORD_BYTES = 20;

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

package io.ordo.storage.wal;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Frames records into one reused direct buffer, so that a whole save goes to the file in a single
 * write. Frame: payload length (int32), CRC32C of type byte and payload (int32), type (1 byte),
 * payload; big-endian.
 */
final class RecordEncoder {
  static final int HEADER_BYTES = 9;

  private ByteBuffer buf;
  private final CRC32C crc = new CRC32C();

  RecordEncoder(int initialCapacity) {
    buf = ByteBuffer.allocateDirect(Math.max(initialCapacity, 4096));
  }

  void clear() {
    buf.clear();
  }

  void add(RecordType type, MessageLite message) {
    int size = message.getSerializedSize();
    int start = begin(size);
    try {
      CodedOutputStream out = CodedOutputStream.newInstance(buf);
      message.writeTo(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("encoding a " + type + " record", e);
    }
    finish(type, start, size);
  }

  void add(RecordType type, byte[] payload) {
    int start = begin(payload.length);
    buf.put(payload);
    finish(type, start, payload.length);
  }

  /** The framed bytes, ready to write; valid until the next {@link #clear}. */
  ByteBuffer framed() {
    return buf.duplicate().flip();
  }

  int size() {
    return buf.position();
  }

  private int begin(int payloadBytes) {
    ensure(HEADER_BYTES + payloadBytes);
    int start = buf.position();
    buf.position(start + HEADER_BYTES);
    return start;
  }

  private void finish(RecordType type, int start, int payloadBytes) {
    buf.put(start + 8, type.code);
    crc.reset();
    crc.update(buf.slice(start + 8, 1 + payloadBytes));
    buf.putInt(start, payloadBytes);
    buf.putInt(start + 4, (int) crc.getValue());
  }

  private void ensure(int more) {
    if (buf.remaining() >= more) {
      return;
    }
    long needed = (long) buf.position() + more;
    long capacity = Math.max(needed, 2L * buf.capacity());
    if (capacity > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("one WAL save cannot exceed 2 GiB, needs " + needed);
    }
    ByteBuffer bigger = ByteBuffer.allocateDirect((int) capacity);
    bigger.put(buf.flip());
    buf = bigger;
  }
}

package io.ordo.storage.io;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/** CRC32C over byte ranges, as the frames of every store use it. */
public final class Crc32c {
  private Crc32c() {}

  /** The checksum of {@code buf}'s bytes in {@code [from, from + length)}, position untouched. */
  public static int of(ByteBuffer buf, int from, int length) {
    CRC32C crc = new CRC32C();
    crc.update(buf.slice(from, length));
    return (int) crc.getValue();
  }

  public static int of(byte[] bytes, int from, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, from, length);
    return (int) crc.getValue();
  }
}

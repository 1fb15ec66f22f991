package io.ordo.storage.ledger;

import io.ordo.storage.io.Crc32c;
import java.nio.ByteBuffer;

/** A block in a block file: length of the block bytes (int32), their CRC32C (int32), the bytes. */
final class BlockFrames {
  static final int HEADER_BYTES = 8;

  private BlockFrames() {}

  static ByteBuffer header(byte[] block) {
    return ByteBuffer.allocate(HEADER_BYTES)
        .putInt(block.length)
        .putInt(Crc32c.of(block, 0, block.length))
        .flip();
  }

  static String fileName(int number) {
    return String.format("blockfile_%06d", number);
  }
}

package io.ordo.storage.wal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Who owns a WAL: written at the head of every segment and checked on open. */
public record WalMetadata(long nodeId, String channel) {
  public WalMetadata {
    if (channel == null) {
      throw new IllegalArgumentException("channel must not be null");
    }
  }

  byte[] encode() {
    byte[] name = channel.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + name.length).putLong(nodeId).put(name).array();
  }

  static WalMetadata decode(ByteBuffer payload) {
    long node = payload.getLong();
    byte[] name = new byte[payload.remaining()];
    payload.get(name);
    return new WalMetadata(node, new String(name, StandardCharsets.UTF_8));
  }
}

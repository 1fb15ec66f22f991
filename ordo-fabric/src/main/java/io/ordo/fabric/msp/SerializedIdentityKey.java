package io.ordo.fabric.msp;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;

/**
 * A marshaled SerializedIdentity as a cache key. Broadcast looks every envelope's creator up, and a
 * creator is nearly a kilobyte of PEM: the hash reads an even sample of its bytes (sixteen
 * eight-byte reads) (the certificate's serial, key and signature spread over its body make samples
 * differ between identities), and equality compares all of them with the JDK's vectorised mismatch.
 * A probe views the caller's bytes; the cache keeps only {@link #owned} copies, never a view into a
 * received message.
 */
final class SerializedIdentityKey {
  /** Eight-byte samples: 128 bytes spread over the whole identity. */
  private static final int SAMPLES = 16;

  private final ByteBuffer bytes;
  private final int hash;

  private SerializedIdentityKey(ByteBuffer bytes) {
    this.bytes = bytes;
    this.hash = sampledHash(bytes);
  }

  /** A key over {@code serialized} without copying it, for a lookup. */
  static SerializedIdentityKey probe(ByteString serialized) {
    return new SerializedIdentityKey(serialized.asReadOnlyByteBuffer());
  }

  /** The same key over a copy of its bytes, to be kept. */
  SerializedIdentityKey owned() {
    ByteBuffer copy = ByteBuffer.allocate(bytes.remaining());
    copy.put(bytes.duplicate()).flip();
    return new SerializedIdentityKey(copy.asReadOnlyBuffer());
  }

  private static int sampledHash(ByteBuffer b) {
    int from = b.position();
    int length = b.remaining();
    int h = length;
    if (length < Long.BYTES * SAMPLES) {
      for (int i = 0; i < length; i++) {
        h = 31 * h + b.get(from + i);
      }
      return h;
    }
    // eight bytes per read: under the first-tier JIT each buffer access is a call
    int step = (length - Long.BYTES) / (SAMPLES - 1);
    for (int k = 0; k < SAMPLES; k++) {
      h = 31 * h + Long.hashCode(b.getLong(from + k * step));
    }
    return h;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SerializedIdentityKey k && hash == k.hash && bytes.equals(k.bytes);
  }
}

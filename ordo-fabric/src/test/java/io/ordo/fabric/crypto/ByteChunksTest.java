package io.ordo.fabric.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ByteChunksTest {
  private static final long SEED = Long.getLong("ordo.test.seed", System.nanoTime());

  /** Every shape a ByteString takes on the orderer's paths, each holding {@code bytes}. */
  private static List<ByteString> shapes(byte[] bytes, SplittableRandom random) {
    List<ByteString> out = new ArrayList<>();
    out.add(ByteString.copyFrom(bytes));
    byte[] padded = new byte[bytes.length + 10];
    System.arraycopy(bytes, 0, padded, 7, bytes.length);
    out.add(ByteString.copyFrom(padded).substring(7, 7 + bytes.length));
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    out.add(UnsafeByteOperations.unsafeWrap(direct));
    out.add(UnsafeByteOperations.unsafeWrap(ByteBuffer.wrap(bytes).asReadOnlyBuffer()));
    ByteString rope = ByteString.EMPTY;
    int at = 0;
    while (at < bytes.length) {
      int n = Math.min(bytes.length - at, 1 + random.nextInt(600));
      rope = rope.concat(ByteString.copyFrom(bytes, at, n));
      at += n;
    }
    out.add(rope);
    return out;
  }

  @Test
  void digestsAndSignaturesSeeTheSameBytesWhateverTheShape() throws Exception {
    System.out.println("ByteChunksTest seed " + SEED + " (replay with -Dordo.test.seed)");
    SplittableRandom random = new SplittableRandom(SEED);
    KeyPair key = KeyPairs.p256(new SecureRandom());
    Ecdsa ecdsa = Ecdsa.preferred();
    for (int size : new int[] {0, 1, 127, 128, 129, 3072, 70_000}) {
      byte[] bytes = new byte[size];
      random.nextBytes(bytes);
      byte[] expected = Hashes.sha256(bytes);
      byte[] signature = ecdsa.sign(key.getPrivate(), bytes);
      byte[] other = bytes.clone();
      if (size > 0) {
        other[random.nextInt(size)] ^= 1;
      }
      for (ByteString shape : shapes(bytes, random)) {
        MessageDigest md = Hashes.sha256Digest();
        ByteChunks.update(md, shape);
        assertThat(md.digest()).as("size %d, %s", size, shape.getClass()).isEqualTo(expected);
        ecdsa.verify(key.getPublic(), shape, signature);
      }
      if (size > 0) {
        for (ByteString shape : shapes(other, random)) {
          assertThatThrownBy(() -> ecdsa.verify(key.getPublic(), shape, signature))
              .as("one bit changed, size %d, %s", size, shape.getClass())
              .isInstanceOf(InvalidSignatureException.class);
        }
      }
    }
  }
}

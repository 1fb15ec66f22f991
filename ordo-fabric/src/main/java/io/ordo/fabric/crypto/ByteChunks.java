package io.ordo.fabric.crypto;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.SignatureException;

/**
 * Feeds a {@link ByteString} to a digest or a signature engine piece by piece, from the arrays it
 * already holds. Envelopes and blocks arrive as views into larger received buffers: copying each
 * one out to hash or verify it was a second copy of every byte ordered, and a read-only {@code
 * ByteBuffer} view is copied again inside native providers, which cannot reach its array.
 */
public final class ByteChunks {
  private ByteChunks() {}

  /** What receives each piece: an array range, or a buffer without an accessible array. */
  private interface Sink {
    void accept(byte[] array, int offset, int length) throws SignatureException;

    void accept(ByteBuffer buffer) throws SignatureException;
  }

  public static void update(MessageDigest digest, ByteString bytes) {
    try {
      feed(
          bytes,
          new Sink() {
            @Override
            public void accept(byte[] array, int offset, int length) {
              digest.update(array, offset, length);
            }

            @Override
            public void accept(ByteBuffer buffer) {
              digest.update(buffer);
            }
          });
    } catch (SignatureException e) {
      throw new IllegalStateException("a digest cannot throw SignatureException", e);
    }
  }

  public static void update(Signature signature, ByteString bytes) throws SignatureException {
    feed(
        bytes,
        new Sink() {
          @Override
          public void accept(byte[] array, int offset, int length) throws SignatureException {
            signature.update(array, offset, length);
          }

          @Override
          public void accept(ByteBuffer buffer) throws SignatureException {
            signature.update(buffer);
          }
        });
  }

  private static void feed(ByteString bytes, Sink sink) throws SignatureException {
    try {
      UnsafeByteOperations.unsafeWriteTo(bytes, new SinkOutput(sink));
    } catch (SinkFailure e) {
      throw e.cause;
    } catch (IOException e) {
      throw new UncheckedIOException("reading a ByteString in memory", e);
    }
  }

  /** Carries the sink's checked exception out through ByteOutput's IOException-only methods. */
  private static final class SinkFailure extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient SignatureException cause;

    SinkFailure(SignatureException cause) {
      super(cause);
      this.cause = cause;
    }
  }

  /** Never keeps the arrays it is shown, which is what makes the unsafe hand-over safe here. */
  private static final class SinkOutput extends ByteOutput {
    private final Sink sink;

    SinkOutput(Sink sink) {
      this.sink = sink;
    }

    @Override
    public void write(byte value) throws IOException {
      write(new byte[] {value}, 0, 1);
    }

    @Override
    public void write(byte[] value, int offset, int length) throws IOException {
      try {
        sink.accept(value, offset, length);
      } catch (SignatureException e) {
        throw new SinkFailure(e);
      }
    }

    @Override
    public void writeLazy(byte[] value, int offset, int length) throws IOException {
      write(value, offset, length);
    }

    @Override
    public void write(ByteBuffer value) throws IOException {
      try {
        if (value.hasArray()) {
          sink.accept(value.array(), value.arrayOffset() + value.position(), value.remaining());
        } else {
          sink.accept(value);
        }
      } catch (SignatureException e) {
        throw new SinkFailure(e);
      }
    }

    @Override
    public void writeLazy(ByteBuffer value) throws IOException {
      write(value);
    }
  }
}

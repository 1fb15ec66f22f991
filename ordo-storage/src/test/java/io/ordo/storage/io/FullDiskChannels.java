package io.ordo.storage.io;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ChannelFactory} whose channels behave like a disk that fills up: once the bytes written
 * through all of them reach the budget, a write writes what fits and then fails with {@code No
 * space left on device}, as {@code write(2)} does.
 */
public final class FullDiskChannels implements ChannelFactory {
  private final AtomicLong budget;
  private final AtomicLong forces = new AtomicLong();

  public FullDiskChannels(long bytes) {
    this.budget = new AtomicLong(bytes);
  }

  private volatile boolean refuseDirectWrites;

  /**
   * From now on, writes through channels opened for direct I/O fail with {@code Invalid argument},
   * as on a file system that opens such files but cannot write the blocks.
   */
  public void refuseDirectWrites() {
    refuseDirectWrites = true;
  }

  /** How many times any channel was forced to disk. */
  public long forces() {
    return forces.get();
  }

  /** Sets the bytes that may still be written. */
  public void remaining(long bytes) {
    budget.set(bytes);
  }

  @Override
  public FileChannel open(Path file, OpenOption... options) throws IOException {
    boolean direct = Arrays.asList(options).contains(ExtendedOpenOption.DIRECT);
    return new Channel(FileChannel.open(file, options), direct ? DIRECT_BLOCK : 1);
  }

  /** A direct write is made of whole blocks, and so is what a full disk takes of it. */
  private static final int DIRECT_BLOCK = 4096;

  private final class Channel extends FileChannel {
    private final FileChannel d;
    private final int unit;

    Channel(FileChannel delegate, int unit) {
      this.d = delegate;
      this.unit = unit;
    }

    private ByteBuffer allowed(ByteBuffer src) throws IOException {
      if (refuseDirectWrites && unit != 1) {
        throw new IOException("Invalid argument");
      }
      long left = budget.get() / unit * unit;
      if (left <= 0) {
        throw new IOException("No space left on device");
      }
      int n = (int) Math.min(left, src.remaining());
      budget.addAndGet(-n);
      return src.slice(src.position(), n);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      ByteBuffer part = allowed(src);
      int n = d.write(part, position);
      src.position(src.position() + n);
      return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      ByteBuffer part = allowed(src);
      int n = d.write(part);
      src.position(src.position() + n);
      return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      long total = 0;
      for (int i = offset; i < offset + length; i++) {
        while (srcs[i].hasRemaining()) {
          total += write(srcs[i]);
        }
      }
      return total;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return d.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return d.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return d.read(dst, position);
    }

    @Override
    public long position() throws IOException {
      return d.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      d.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return d.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      d.truncate(size);
      return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      forces.incrementAndGet();
      d.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target)
        throws IOException {
      return d.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count)
        throws IOException {
      throw new IOException("transferFrom is not supported by the test channel");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      return d.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return d.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return d.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      d.close();
    }
  }
}

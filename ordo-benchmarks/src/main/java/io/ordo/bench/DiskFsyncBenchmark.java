package io.ordo.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The disk's own limit: sequential 1 MB appends to a file, each followed by fdatasync, with no
 * framing or serialization. The WAL and ledger figures are read against this one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DiskFsyncBenchmark {
  private Path dir;
  private FileChannel file;
  private final ByteBuffer megabyte = ByteBuffer.allocateDirect(1 << 20);
  private long position;

  @Setup(Level.Trial)
  public void setUp() {
    dir = BenchDirs.create("raw-bench");
    byte[] b = new byte[1 << 20];
    ThreadLocalRandom.current().nextBytes(b);
    megabyte.put(b).flip();
  }

  @Setup(Level.Iteration)
  public void openFile() throws IOException {
    Path f = dir.resolve("raw");
    Files.deleteIfExists(f);
    file =
        FileChannel.open(
            f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
    position = 0;
  }

  @TearDown(Level.Iteration)
  public void closeFile() throws IOException {
    file.close();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    BenchDirs.delete(dir);
  }

  @Benchmark
  public void write1MbThenFsync(ThroughputCounters counters) throws IOException {
    ByteBuffer buf = megabyte.duplicate();
    while (buf.hasRemaining()) {
      position += file.write(buf, position);
    }
    file.force(false);
    counters.bytes += 1 << 20;
  }
}

package io.ordo.bench;

import com.google.protobuf.ByteString;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.EntryType;
import io.ordo.storage.wal.Wal;
import io.ordo.storage.wal.WalMetadata;
import io.ordo.storage.wal.WalOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * WAL saves of 1 KB entries, {@code entriesPerSave} per save, each save one write and one fsync.
 * The score is saves per second; the counters give entries/s and bytes/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WalBenchmark {
  @Param({"1", "10", "100", "1000"})
  public int entriesPerSave;

  @Param({"true"})
  public boolean preallocate;

  private Path dir;
  private Wal wal;
  private ByteString data;
  private long next;
  private int entryBytes;

  @Setup(Level.Trial)
  public void open() {
    dir = BenchDirs.create("wal-bench");
    wal =
        Wal.create(
            dir, new WalMetadata(1, "bench"), WalOptions.defaults().withPreallocate(preallocate));
    byte[] b = new byte[1024];
    ThreadLocalRandom.current().nextBytes(b);
    data = ByteString.copyFrom(b);
    next = 1;
    entryBytes = entry(1).getSerializedSize();
  }

  @TearDown(Level.Iteration)
  public void release() {
    wal.releaseTo(next);
  }

  @TearDown(Level.Trial)
  public void close() {
    wal.close();
    BenchDirs.delete(dir);
  }

  private Entry entry(long index) {
    return Entry.newBuilder()
        .setType(EntryType.EntryNormal)
        .setTerm(1)
        .setIndex(index)
        .setData(data)
        .build();
  }

  @Benchmark
  public void save(ThroughputCounters counters) {
    List<Entry> batch = new ArrayList<>(entriesPerSave);
    for (int i = 0; i < entriesPerSave; i++) {
      batch.add(entry(next++));
    }
    wal.save(null, batch, null);
    counters.entries += entriesPerSave;
    counters.bytes += (long) entriesPerSave * entryBytes;
  }
}

package io.ordo.bench;

import com.google.protobuf.ByteString;
import io.ordo.storage.ledger.BlockLedger;
import io.ordo.storage.ledger.LedgerOptions;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
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
 * Ledger append of 1 MB blocks (each durable: data fsync, then index fsync) and sequential reads of
 * the blocks written (checksummed and parsed; the files are likely in the page cache).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LedgerBenchmark {
  private static final int READ_BLOCKS = 256;

  private Path dir;
  private BlockLedger ledger;
  private ByteString payload;
  private long readNext;

  @Setup(Level.Trial)
  public void open() {
    dir = BenchDirs.create("ledger-bench");
    ledger = BlockLedger.open(dir, LedgerOptions.defaults());
    byte[] b = new byte[1 << 20];
    ThreadLocalRandom.current().nextBytes(b);
    payload = ByteString.copyFrom(b);
    for (int i = 0; i < READ_BLOCKS; i++) {
      ledger.append(block(ledger.height()));
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    ledger.close();
    BenchDirs.delete(dir);
  }

  private Block block(long number) {
    return Block.newBuilder()
        .setHeader(BlockHeader.newBuilder().setNumber(number))
        .setData(BlockData.newBuilder().addData(payload))
        .build();
  }

  @Benchmark
  public void append1MbBlock(ThroughputCounters counters) {
    Block b = block(ledger.height());
    ledger.append(b);
    counters.bytes += b.getSerializedSize();
  }

  @Benchmark
  public Block readSequential(ThroughputCounters counters) {
    Block b = ledger.block(readNext);
    readNext = (readNext + 1) % READ_BLOCKS;
    counters.bytes += b.getSerializedSize();
    return b;
  }
}

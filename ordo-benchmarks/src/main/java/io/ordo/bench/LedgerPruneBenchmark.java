package io.ordo.bench;

import com.google.protobuf.ByteString;
import io.ordo.storage.ledger.BlockLedger;
import io.ordo.storage.ledger.LedgerOptions;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
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
 * The latency of a ledger append (64 KiB blocks, 1 MiB block files) with and without a pruner that,
 * on a thread of its own, keeps pruning the ledger to its last 50 blocks as fast as it can: what
 * pruning costs the write path (the appends wait only while a new index is renamed into place).
 * Sample time, so that the percentiles show the appends that waited.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LedgerPruneBenchmark {
  private static final int KEEP = 50;
  private static final int BLOCKS_PER_FILE = 16;

  @Param({"false", "true"})
  public boolean pruning;

  private Path dir;
  private BlockLedger ledger;
  private ByteString payload;
  private final AtomicBoolean stop = new AtomicBoolean();
  private Thread pruner;

  @Setup(Level.Trial)
  public void open() {
    dir = BenchDirs.create("ledger-prune-bench");
    ledger = BlockLedger.open(dir, LedgerOptions.defaults().withFileBytes(1 << 20));
    byte[] b = new byte[64 << 10];
    ThreadLocalRandom.current().nextBytes(b);
    payload = ByteString.copyFrom(b);
    if (pruning) {
      pruner =
          Thread.ofPlatform()
              .name("pruner")
              .start(
                  () -> {
                    while (!stop.get()) {
                      try {
                        ledger.prune(ledger.height() - KEEP);
                        ledger.awaitHeight(ledger.height() + BLOCKS_PER_FILE).get();
                      } catch (Exception e) {
                        return; // the ledger closed
                      }
                    }
                  });
    }
  }

  @TearDown(Level.Trial)
  public void close() throws InterruptedException {
    stop.set(true);
    ledger.close(); // ends the pruner's wait for the next file
    if (pruner != null) {
      pruner.join();
    }
    BenchDirs.delete(dir);
  }

  @Benchmark
  public void append64KibBlock() {
    ledger.append(
        Block.newBuilder()
            .setHeader(BlockHeader.newBuilder().setNumber(ledger.height()))
            .setData(BlockData.newBuilder().addData(payload))
            .build());
  }
}

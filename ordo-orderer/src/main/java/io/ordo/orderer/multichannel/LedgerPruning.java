package io.ordo.orderer.multichannel;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordo.fabric.block.Blocks;
import io.ordo.orderer.ops.ChannelLog;
import io.ordo.storage.io.StorageIoException;
import io.ordo.storage.ledger.BlockLedger;
import io.ordo.storage.ledger.LedgerClosedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ordo's ledger pruning ({@code FileLedger.Prune}): every Interval, on a thread of its own, each
 * channel's ledger loses the block files wholly below the lowest of three blocks: the one {@code
 * KeepBlocks} below its height, its newest raft snapshot's block (a member that receives that
 * snapshot pulls the blocks up to it from the others) and its last config block (from which a new
 * node onboards when the blocks before it are gone everywhere). The ledger writes its new first
 * block before deleting anything and takes its append lock only to put its new index in place, so
 * ordering goes on meanwhile.
 *
 * <p>Meters, Ordo's own (Fabric keeps every block): {@code ledger_first_block{channel}}, the first
 * block the ledger holds, and {@code ledger_pruned_bytes{channel}}, the bytes of the block files
 * deleted since the process started; both registered only on a node that prunes.
 */
public final class LedgerPruning implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LedgerPruning.class);

  /**
   * A ledger that may be pruned now.
   *
   * @param snapshotBlock the block of the channel's newest consensus snapshot, 0 when it has none,
   *     {@link Long#MAX_VALUE} for a followed channel, which runs no consensus
   */
  public record Target(String channel, BlockLedger ledger, long snapshotBlock) {}

  private final long keepBlocks;
  private final Duration interval;
  private final Supplier<List<Target>> targets;
  private final MeterRegistry registry;
  private final Map<String, Meters> meters = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;

  private record Meters(AtomicLong first, Counter prunedBytes) {}

  /**
   * @param keepBlocks FileLedger.Prune.KeepBlocks, positive
   * @param interval FileLedger.Prune.Interval, between passes
   * @param targets the ledgers to prune at each pass (the registrar's channels)
   */
  public LedgerPruning(
      long keepBlocks, Duration interval, Supplier<List<Target>> targets, MeterRegistry registry) {
    if (keepBlocks <= 0) {
      throw new IllegalArgumentException("KeepBlocks " + keepBlocks + " is not positive");
    }
    this.keepBlocks = keepBlocks;
    this.interval = interval;
    this.targets = targets;
    this.registry = registry;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("ledger-pruning").factory());
  }

  /** Starts the passes, the first one at once. */
  public void start() {
    long every = interval.toNanos();
    timer.scheduleWithFixedDelay(this::pass, 0, every, TimeUnit.NANOSECONDS);
    log.info(
        "pruning ledgers every {}, keeping at least the last {} blocks of each channel, its newest"
            + " snapshot's block and its last config block",
        interval,
        keepBlocks);
  }

  /** One pass over every channel; a failure of one is logged and the others go on. */
  void pass() {
    for (Target t : targets.get()) {
      try {
        prune(t);
      } catch (LedgerClosedException e) {
        // removed, halted or repaired meanwhile: the next pass sees what replaced it
      } catch (StorageIoException e) {
        ChannelLog.of(log, t.channel()).warn("ledger pruning failed: {}", e.getMessage());
      } catch (RuntimeException e) {
        ChannelLog.of(log, t.channel()).warn("ledger pruning failed", e);
      }
    }
  }

  private void prune(Target t) {
    BlockLedger ledger = t.ledger();
    long height = ledger.height();
    Meters m = meters(t.channel());
    if (height == 0) {
      return;
    }
    long bound = bound(height, t.snapshotBlock(), lastConfig(ledger, height));
    BlockLedger.Pruned pruned = ledger.prune(bound);
    m.first().set(pruned.first());
    if (pruned.files() > 0) {
      m.prunedBytes().increment(pruned.bytes());
      ChannelLog.of(log, t.channel())
          .info(
              "pruned {} block files ({} bytes): the ledger holds blocks [{}..{}]",
              pruned.files(),
              pruned.bytes(),
              pruned.first(),
              ledger.height() - 1);
    }
  }

  /**
   * The block below which whole block files go: the lowest of the one KeepBlocks below the height,
   * the snapshot's block and the last config block.
   */
  long bound(long height, long snapshotBlock, long lastConfig) {
    long byCount = height - Math.min(height, keepBlocks);
    return Math.min(byCount, Math.min(snapshotBlock, lastConfig));
  }

  private static long lastConfig(BlockLedger ledger, long height) {
    return Blocks.lastConfigIndex(ledger.block(height - 1));
  }

  private Meters meters(String channel) {
    return meters.computeIfAbsent(
        channel,
        ch -> {
          AtomicLong first = new AtomicLong();
          Gauge.builder("ledger_first_block", first, AtomicLong::get)
              .description(
                  "The number of the first block the ledger holds (Ordo's, with"
                      + " FileLedger.Prune).")
              .tag("channel", ch)
              .register(registry);
          Counter bytes =
              Counter.builder("ledger_pruned_bytes")
                  .description(
                      "Bytes of block files deleted by ledger pruning since the process started"
                          + " (Ordo's, with FileLedger.Prune).")
                  .tag("channel", ch)
                  .register(registry);
          return new Meters(first, bytes);
        });
  }

  /**
   * Stops the passes, waiting for one under way: interrupting it would close the ledger's files.
   */
  @Override
  public void close() {
    timer.shutdown();
    try {
      timer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

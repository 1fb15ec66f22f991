package io.ordo.orderer.multichannel;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ordo.orderer.ops.FabricBuckets;
import io.ordo.storage.ledger.AppendListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Fabric's per-channel meters of the ledger and the block cutter: {@code
 * ledger_blockchain_height{channel}} (a gauge, set when the ledger opens and after each append),
 * {@code ledger_blockstorage_commit_time{channel}} (a histogram of seconds with blkstorage's
 * buckets; an append of several pulled blocks, which share their fsyncs, counts each block with an
 * equal share of its time) and {@code blockcutter_block_fill_duration{channel}} (from a batch's
 * first envelope to its cut, on the node that cuts: the leader). A channel keeps its series for the
 * life of the process, as in Fabric.
 */
final class ChannelMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicLong> heights = new ConcurrentHashMap<>();

  ChannelMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** What the ledger of {@code channel} tells after each append. */
  AppendListener appends(String channel) {
    AtomicLong gauge = height(channel);
    Supplier<Timer> commits =
        firstUse(
            () ->
                Timer.builder("ledger_blockstorage_commit_time")
                    .description("Time taken in seconds for committing the block to storage.")
                    .tag("channel", channel)
                    .serviceLevelObjectives(FabricBuckets.BLOCKSTORAGE_COMMIT.durations())
                    .register(registry));
    return (blocks, newHeight, nanos) -> {
      Timer t = commits.get();
      for (int i = 0; i < blocks; i++) {
        t.record(nanos / blocks, TimeUnit.NANOSECONDS);
      }
      gauge.set(newHeight);
    };
  }

  /** The ledger of {@code channel} was opened at {@code height}. */
  void ledgerOpened(String channel, long height) {
    height(channel).set(height);
  }

  /** Told by the channel's block cutter how long each batch took to fill. */
  LongConsumer blockFill(String channel) {
    Supplier<Timer> fill =
        firstUse(
            () ->
                Timer.builder("blockcutter_block_fill_duration")
                    .description(
                        "The time from first transaction enqueuing to the block being cut in"
                            + " seconds.")
                    .tag("channel", channel)
                    .serviceLevelObjectives(FabricBuckets.DEFAULT.durations())
                    .register(registry));
    return nanos -> fill.get().record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * A histogram registered when first observed, as Fabric's appear: a follower, which cuts no
   * batch, shows no block fill series.
   */
  private static Supplier<Timer> firstUse(Supplier<Timer> register) {
    AtomicReference<Timer> made = new AtomicReference<>();
    return () -> {
      Timer t = made.get();
      return t != null ? t : made.updateAndGet(now -> now != null ? now : register.get());
    };
  }

  private AtomicLong height(String channel) {
    return heights.computeIfAbsent(
        channel,
        ch -> {
          AtomicLong h = new AtomicLong();
          Gauge.builder("ledger_blockchain_height", h, AtomicLong::get)
              .description("Height of the chain in blocks.")
              .tag("channel", ch)
              .register(registry);
          return h;
        });
  }
}

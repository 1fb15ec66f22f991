package io.ordo.orderer.consensus.etcdraft;

import io.ordo.fabric.block.BlockVerifier;
import io.ordo.fabric.block.Blocks;
import io.ordo.fabric.block.ConfigBlocks;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.orderer.consensus.ConsenterSupport;
import io.ordo.orderer.ops.ChannelLog;
import io.ordo.orderer.replication.BlockPuller;
import io.ordo.orderer.replication.PullerThread;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fabric's eviction suspector: a consenter that has known no leader for {@code threshold} (and
 * again at each further multiple of it) fetches the newest config block from the other orderers,
 * checks it against the channel's BlockValidation policy, and when that config no longer lists this
 * node reports the eviction, upon which the channel is followed instead.
 */
public final class EvictionSuspector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EvictionSuspector.class);

  /** Told once, on the suspector's thread, that the newest config no longer lists this node. */
  @FunctionalInterface
  public interface Evicted {
    void evicted(ChannelConfig config, long configBlock);
  }

  private final String channel;
  private final Duration threshold;
  private final Duration checkInterval;
  private final LongSupplier leader;
  private final ConsenterSupport support;
  private final PullerThread thread;
  private final ChannelConfigLoader loader;
  private final Predicate<ChannelConfig> isConsenter;
  private final Evicted onEvicted;
  private final LongConsumer behind;
  private final AtomicInteger suspicions = new AtomicInteger();

  public EvictionSuspector(
      String channel,
      Duration threshold,
      Duration checkInterval,
      LongSupplier leader,
      ConsenterSupport support,
      BlockPuller puller,
      ChannelConfigLoader loader,
      Predicate<ChannelConfig> isConsenter,
      Evicted onEvicted,
      LongConsumer behind) {
    this.behind = behind;
    this.channel = channel;
    this.threshold = threshold;
    this.checkInterval = checkInterval;
    this.leader = leader;
    this.support = support;
    this.thread = new PullerThread(puller);
    this.loader = loader;
    this.isConsenter = isConsenter;
    this.onEvicted = onEvicted;
  }

  public void start() {
    thread.start(Thread.ofVirtual().name("eviction-suspector-" + channel), this::run);
  }

  /** How many times the threshold was crossed and the newest config fetched. */
  public int suspicions() {
    return suspicions.get();
  }

  private void run() {
    long leaderlessNanos = 0;
    long nextSuspicion = threshold.toNanos();
    try {
      while (!thread.awaitStop(checkInterval.toNanos())) {
        if (leader.getAsLong() != 0) {
          leaderlessNanos = 0;
          nextSuspicion = threshold.toNanos();
          continue;
        }
        leaderlessNanos += checkInterval.toNanos();
        if (leaderlessNanos < nextSuspicion) {
          continue;
        }
        nextSuspicion += threshold.toNanos();
        suspicions.incrementAndGet();
        ChannelLog.of(log, channel)
            .info(
                "no leader for {} ms: checking whether this node was evicted",
                leaderlessNanos / 1_000_000);
        if (confirmSuspicion()) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      ChannelLog.of(log, channel).warn("eviction check failed: {}", e.getMessage(), e);
    }
  }

  /** True when this node was evicted (and told so). */
  private boolean confirmSuspicion() {
    ChannelConfig current = support.channelConfig();
    Optional<Long> lastConfig =
        thread.puller().newestBlocks(current).values().stream()
            .map(Blocks::lastConfigIndex)
            .max(Long::compare);
    if (lastConfig.isEmpty()) {
      ChannelLog.of(log, channel).warn("no orderer told its newest block");
      return false;
    }
    long number = lastConfig.get();
    Optional<Block> block = thread.puller().block(number, current);
    if (block.isEmpty() || !ConfigBlocks.isConfigBlock(block.get())) {
      ChannelLog.of(log, channel).warn("cannot fetch config block [{}]", number);
      return false;
    }
    if (number > 0) {
      new BlockVerifier(current.policies().get("/Channel/Orderer/BlockValidation"))
          .verify(block.get());
    }
    ChannelConfig newest = loader.fromConfigBlock(block.get());
    if (isConsenter.test(newest)) {
      ChannelLog.of(log, channel)
          .info("config block [{}] still lists this node as a consenter", number);
      if (number >= support.height()) {
        // a member that missed that config block: catch up to it
        behind.accept(number);
      }
      return false;
    }
    ChannelLog.of(log, channel)
        .warn("config block [{}] no longer lists this node: evicted", number);
    onEvicted.evicted(newest, number);
    return true;
  }

  /** Stops checking; waits for the thread unless called from it. */
  @Override
  public void close() {
    thread.close();
  }
}

package io.ordo.orderer.follower;

import io.ordo.fabric.block.Blocks;
import io.ordo.fabric.block.ConfigBlocks;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.orderer.ops.ChannelLog;
import io.ordo.orderer.replication.BlockPullException;
import io.ordo.orderer.replication.BlockPuller;
import io.ordo.orderer.replication.PulledChain;
import io.ordo.orderer.replication.PullerThread;
import io.ordo.storage.ledger.BlockLedger;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel this node follows (Fabric's {@code follower.Chain}), on its own thread: first it
 * onboards — pulls blocks up to the join block, verified from the genesis block on, and checks that
 * they end exactly at the join block, or, when every orderer that answers no longer holds block 0
 * (they prune their ledgers), starts its empty ledger at the join block — then keeps pulling the
 * blocks the consenters write. Once the config in force lists this node as a consenter it stops and
 * tells its {@link Listener}, which starts the channel's consensus chain on the same ledger.
 */
public final class FollowerChannel implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FollowerChannel.class);

  /** What the participation API shows. */
  public enum Status {
    ONBOARDING("onboarding"),
    ACTIVE("active"),
    FAILED("failed");

    private final String apiName;

    Status(String apiName) {
      this.apiName = apiName;
    }

    public String apiName() {
      return apiName;
    }
  }

  /** Told, on the follower's thread, of its progress. */
  @FunctionalInterface
  public interface Listener {
    /** The follower's config makes this node a consenter; the follower has stopped. */
    void becameConsenter(FollowerChannel follower);

    /** The ledger reached the join block. */
    default void onboarded(FollowerChannel follower) {}
  }

  private final String channel;
  private final BlockLedger ledger;
  private final Optional<Block> joinBlock;
  private final PullerThread thread;
  private final ChannelConfigLoader loader;
  private final Predicate<ChannelConfig> isConsenter;
  private final Duration pollInterval;
  private final Listener listener;
  private final long refusedConfigSequence;
  private volatile Status status;
  private volatile ChannelConfig config;

  /**
   * @param joinBlock the block the channel was joined with, while onboarding is not finished
   * @param isConsenter whether a config lists this node as a consenter
   * @param pollInterval wait between asking the orderers for new blocks once caught up
   */
  public FollowerChannel(
      String channel,
      BlockLedger ledger,
      Optional<Block> joinBlock,
      BlockPuller puller,
      ChannelConfigLoader loader,
      Predicate<ChannelConfig> isConsenter,
      Duration pollInterval,
      Listener listener) {
    this(channel, ledger, joinBlock, puller, loader, isConsenter, pollInterval, listener, -1);
  }

  /**
   * As above, after a hand-off that failed: the config of sequence {@code refusedConfigSequence}
   * (or older) is not reported again, only a later config that lists this node.
   */
  public FollowerChannel(
      String channel,
      BlockLedger ledger,
      Optional<Block> joinBlock,
      BlockPuller puller,
      ChannelConfigLoader loader,
      Predicate<ChannelConfig> isConsenter,
      Duration pollInterval,
      Listener listener,
      long refusedConfigSequence) {
    this.refusedConfigSequence = refusedConfigSequence;
    this.channel = channel;
    this.ledger = ledger;
    this.joinBlock = joinBlock.filter(b -> b.getHeader().getNumber() >= ledger.height());
    this.thread = new PullerThread(puller);
    this.loader = loader;
    this.isConsenter = isConsenter;
    this.pollInterval = pollInterval;
    this.listener = listener;
    this.status = this.joinBlock.isPresent() ? Status.ONBOARDING : Status.ACTIVE;
    this.config =
        this.joinBlock.isPresent()
            ? loader.fromConfigBlock(this.joinBlock.get())
            : loader.fromConfigBlock(
                ledger.block(Blocks.lastConfigIndex(ledger.block(ledger.height() - 1))));
  }

  public String channel() {
    return channel;
  }

  public BlockLedger ledger() {
    return ledger;
  }

  public Status status() {
    return status;
  }

  public long height() {
    return ledger.height();
  }

  /** The config in force at the ledger's last block (the join block's while onboarding). */
  public ChannelConfig config() {
    return config;
  }

  /** Starts onboarding or following on a thread of its own. */
  public void start() {
    thread.start(Thread.ofPlatform().name("follower-" + channel), this::run);
  }

  private void run() {
    try {
      if (joinBlock.isPresent()) {
        onboard(joinBlock.get());
        listener.onboarded(this);
      }
      status = Status.ACTIVE;
      while (!isStopped()) {
        if (config.sequence() > refusedConfigSequence && isConsenter.test(config)) {
          ChannelLog.of(log, channel)
              .info("the config at height {} lists this node as a consenter", ledger.height());
          listener.becameConsenter(this);
          return;
        }
        if (!followOnce()) {
          thread.awaitStop(pollInterval.toNanos());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (!isStopped()) {
        status = Status.FAILED;
        ChannelLog.of(log, channel).error("follower failed: {}", e.getMessage(), e);
      }
    }
  }

  private void onboard(Block join) {
    long joinNumber = join.getHeader().getNumber();
    long started = System.nanoTime();
    long from = ledger.height();
    ChannelLog.of(log, channel)
        .info("onboarding from height {} to join block [{}]", from, joinNumber);
    PulledChain chain = chainFromLedger();
    if (joinNumber > 0 && ledger.height() == 0 && !anyOrdererHolds(0)) {
      startAtJoinBlock(join);
      return;
    }
    if (joinNumber > 0 && chain.next() < joinNumber) {
      pullRetrying(chain, joinNumber - 1, config);
    }
    // the join block, trusted by the admin who gave it, must extend the pulled chain exactly:
    // its previous hash vouches for every block pulled before it
    chain.verify(join);
    ledger.append(join);
    config = loader.fromConfigBlock(join);
    ChannelLog.of(log, channel)
        .info(
            "onboarded {} blocks up to join block [{}] in {} ms",
            joinNumber + 1 - from,
            joinNumber,
            (System.nanoTime() - started) / 1_000_000);
  }

  /**
   * Whether an orderer that answers holds block {@code number}; asks again while none answers.
   * False when every one that answers says it does not (each prunes its ledger, or onboarded from a
   * later config block itself).
   */
  private boolean anyOrdererHolds(long number) {
    while (!isStopped()) {
      java.util.Map<String, Boolean> holding = thread.puller().holding(number, config);
      if (holding.containsValue(true)) {
        return true;
      }
      if (!holding.isEmpty()) {
        ChannelLog.of(log, channel)
            .info("no orderer holds block [{}] any more (asked: {})", number, holding.keySet());
        return false;
      }
      ChannelLog.of(log, channel)
          .warn("no orderer answered whether it holds block [{}]; asking again", number);
      try {
        thread.awaitStop(pollInterval.toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      }
    }
    return true; // stopped: the pull that follows ends at once
  }

  /**
   * Starts the ledger at the join block, which the admin who gave it vouches for, when the blocks
   * before it cannot be had from any orderer: each later block is verified from its config on,
   * signatures and hash chain, as pulled blocks always are.
   */
  private void startAtJoinBlock(Block join) {
    ledger.startAt(join);
    config = loader.fromConfigBlock(join);
    ChannelLog.of(log, channel)
        .info(
            "onboarded from join block [{}]: the ledger starts there, the blocks before it being"
                + " pruned on every orderer that answered; the blocks after it are verified from"
                + " its config on",
            join.getHeader().getNumber());
  }

  /** Pulls up to the highest block the orderers hold; false when there was nothing new. */
  private boolean followOnce() {
    long highest =
        thread.puller().newestBlocks(config).values().stream()
            .mapToLong(b -> b.getHeader().getNumber())
            .max()
            .orElse(-1);
    if (highest < ledger.height()) {
      return false;
    }
    pullRetrying(chainFromLedger(), highest, config);
    return true;
  }

  private void pullRetrying(PulledChain chain, long to, ChannelConfig source) {
    while (!isStopped()) {
      try {
        thread
            .puller()
            .pull(
                chain,
                to,
                source,
                blocks -> {
                  ledger.appendAll(blocks);
                  if (blocks.stream().anyMatch(ConfigBlocks::isConfigBlock)) {
                    config = chain.config().orElseThrow();
                  }
                });
        return;
      } catch (BlockPullException e) {
        ChannelLog.of(log, channel).warn("{}; trying again", e.getMessage());
      }
    }
  }

  private PulledChain chainFromLedger() {
    if (ledger.height() == 0) {
      return PulledChain.fromGenesis(channel, loader);
    }
    Block last = ledger.block(ledger.height() - 1);
    ChannelConfig inForce = loader.fromConfigBlock(ledger.block(Blocks.lastConfigIndex(last)));
    return PulledChain.after(channel, loader, last, inForce);
  }

  private boolean isStopped() {
    return thread.stopped();
  }

  /** Stops pulling and waits for the thread unless called from it; the ledger stays open. */
  @Override
  public void close() {
    thread.close();
  }
}

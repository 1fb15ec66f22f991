package io.ordo.orderer.multichannel;

import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.ConfigException;
import io.ordo.orderer.admin.ChannelInfo;
import io.ordo.orderer.admin.ChannelManager;
import io.ordo.orderer.admin.ChannelManagerException;
import io.ordo.orderer.admin.ChannelManagerException.Kind;
import io.ordo.orderer.broadcast.BroadcastChannels;
import io.ordo.orderer.broadcast.BroadcastSupport;
import io.ordo.orderer.consensus.Consenter;
import io.ordo.orderer.consensus.NotConsenterException;
import io.ordo.orderer.deliver.DeliverChannels;
import io.ordo.orderer.deliver.DeliverSupport;
import io.ordo.orderer.follower.FollowerChannel;
import io.ordo.orderer.replication.BlockPuller;
import io.ordo.storage.io.Directories;
import io.ordo.storage.ledger.BlockLedger;
import io.ordo.storage.ledger.LedgerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channels of this node (Fabric's {@code multichannel.Registrar}): one {@link ChainSupport} per
 * channel, its ledger under {@code <FileLedger.Location>/chains/<channel>}. Joins and removes
 * channels for the participation API, finds them for Broadcast and Deliver, and on start reopens
 * every channel found on disk and resumes its chain.
 */
public final class Registrar implements ChannelManager, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Registrar.class);

  /** Fabric's consensusRelation and status values for a running etcdraft member. */
  static final String CONSENTER = "consenter";

  static final String ACTIVE = "active";

  static final String FOLLOWER = "follower";

  /** Where a join block waits until its onboarding is done (Fabric's pendingops/join). */
  private static final String JOIN_BLOCK_SUFFIX = ".join";

  /** Told when the set of channels or one channel's config changed (trust roots follow it). */
  @FunctionalInterface
  public interface ChannelsListener {
    void channelsChanged(Map<String, ChannelConfig> configs);
  }

  private final Path chainsDir;
  private final Consenter consenter;
  private final ChannelResources resources;
  private final ChannelsListener listener;
  private final Map<String, ChainSupport> channels = new ConcurrentHashMap<>();
  private final Map<String, FollowerChannel> followers = new ConcurrentHashMap<>();
  private final Object joinLock = new Object();
  private final Path joinBlocksDir;
  private final Optional<Function<String, BlockPuller>> pullers;
  private final Duration followerPollInterval;

  /**
   * @param ledgerLocation FileLedger.Location
   */
  public Registrar(
      Path ledgerLocation,
      Consenter consenter,
      ChannelResources resources,
      ChannelsListener listener) {
    this(ledgerLocation, consenter, resources, listener, Optional.empty(), Duration.ofSeconds(5));
  }

  /**
   * As above, with followers: joins with a block above 0 or as a non-consenter onboard and follow
   * the channel through a block puller of the channel.
   *
   * @param pullers makes the block puller of a channel
   * @param followerPollInterval wait between asks for new blocks once a follower caught up
   */
  public Registrar(
      Path ledgerLocation,
      Consenter consenter,
      ChannelResources resources,
      ChannelsListener listener,
      Optional<Function<String, BlockPuller>> pullers,
      Duration followerPollInterval) {
    this.pullers = pullers;
    this.followerPollInterval = followerPollInterval;
    this.joinBlocksDir = ledgerLocation.resolve("pendingops").resolve("join");
    this.chainsDir = ledgerLocation.resolve("chains");
    this.consenter = consenter;
    this.resources = resources;
    this.listener = listener;
  }

  /**
   * Reopens every channel whose ledger is on disk and starts its chain (Fabric's {@code
   * Registrar.Initialize}). A leftover empty ledger (a join that failed half-way) is deleted; a
   * channel that cannot be resumed is logged and left out.
   */
  public void initialize() {
    Directories.create(chainsDir);
    List<Path> dirs;
    try (Stream<Path> s = Files.list(chainsDir)) {
      dirs = s.filter(Files::isDirectory).sorted(Comparator.naturalOrder()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the ledgers in " + chainsDir, e);
    }
    for (Path dir : dirs) {
      String channel = dir.getFileName().toString();
      BlockLedger ledger = BlockLedger.open(dir, LedgerOptions.defaults());
      Optional<Block> pendingJoin = pullers.isPresent() ? readJoinBlock(channel) : Optional.empty();
      if (pendingJoin.isPresent()) {
        startFollower(channel, ledger, pendingJoin);
        log.info("[channel: {}] resuming onboarding at height {}", channel, ledger.height());
        continue;
      }
      if (ledger.height() == 0) {
        log.warn("[channel: {}] empty ledger left by an unfinished join; deleting it", channel);
        ledger.close();
        Directories.deleteTree(dir);
        continue;
      }
      try {
        ChainSupport support = newSupport(channel, ledger);
        channels.put(channel, support);
        support.chain().start();
        log.info("[channel: {}] resumed at height {}", channel, ledger.height());
      } catch (NotConsenterException e) {
        if (pullers.isPresent()) {
          startFollower(channel, ledger, Optional.empty());
          log.info("[channel: {}] resumed as follower at height {}", channel, ledger.height());
        } else {
          log.error("[channel: {}] cannot resume: {}", channel, e.getMessage());
          ledger.close();
        }
      } catch (RuntimeException e) {
        log.error(
            "[channel: {}] cannot resume the channel from {}: {}", channel, dir, e.getMessage(), e);
        channels.remove(channel);
        ledger.close();
      }
    }
    notifyListener();
  }

  // ---------------------------------------------------------------- Broadcast, Deliver lookups
  // (views rather than interfaces: ChannelManager's channel(String) has the same signature)

  /** The channels Broadcast can hand envelopes to. */
  public BroadcastChannels forBroadcast() {
    return id -> Optional.<BroadcastSupport>ofNullable(channels.get(id));
  }

  /** The channels Deliver can serve blocks of. */
  public DeliverChannels forDeliver() {
    return id -> Optional.<DeliverSupport>ofNullable(channels.get(id));
  }

  /** The ConsenterSupport of a channel, for tests and operations. */
  public Optional<ChainSupport> support(String channelId) {
    return Optional.ofNullable(channels.get(channelId));
  }

  // ---------------------------------------------------------------- ChannelManager

  @Override
  public List<ChannelInfo> channels() {
    return Stream.concat(channels.keySet().stream(), followers.keySet().stream())
        .distinct()
        .sorted()
        .map(this::info)
        .toList();
  }

  @Override
  public Optional<ChannelInfo> channel(String channelId) {
    return channels.containsKey(channelId) || followers.containsKey(channelId)
        ? Optional.of(info(channelId))
        : Optional.empty();
  }

  @Override
  public ChannelInfo join(String channelId, Block configBlock) {
    synchronized (joinLock) {
      if (channels.containsKey(channelId) || followers.containsKey(channelId)) {
        throw new ChannelManagerException(Kind.ALREADY_EXISTS, "channel already exists");
      }
      ChannelConfig config;
      try {
        config = resources.loader().fromConfigBlock(configBlock);
      } catch (ConfigException | IllegalArgumentException e) {
        throw new ChannelManagerException(Kind.INVALID_JOIN_BLOCK, e.getMessage());
      }
      if (!"etcdraft".equals(config.orderer().consensusType())) {
        throw new ChannelManagerException(
            Kind.OTHER, "consensus type " + config.orderer().consensusType() + " is not supported");
      }
      boolean member = consenter.isConsenter(config);
      if (configBlock.getHeader().getNumber() != 0 || !member) {
        if (followers.containsKey(channelId)) {
          throw new ChannelManagerException(Kind.ALREADY_EXISTS, "channel already exists");
        }
        if (pullers.isEmpty()) {
          throw new ChannelManagerException(
              Kind.OTHER,
              "joining with config block ["
                  + configBlock.getHeader().getNumber()
                  + "] as "
                  + (member ? "a consenter" : "a non-consenter")
                  + " needs a block puller, which this node has none of");
        }
        return joinAsFollower(channelId, configBlock);
      }
      Path dir = chainsDir.resolve(channelId);
      BlockLedger ledger = BlockLedger.open(dir, LedgerOptions.defaults());
      ChainSupport support;
      try {
        ledger.append(configBlock);
        support = newSupport(channelId, ledger);
      } catch (RuntimeException e) {
        // NotConsenterException included: following a channel comes later
        discard(channelId, ledger, dir);
        throw new ChannelManagerException(Kind.OTHER, e.getMessage());
      }
      channels.put(channelId, support);
      support.chain().start();
      log.info("[channel: {}] joined as consenter with block [0]", channelId);
      notifyListener();
      return info(channelId);
    }
  }

  @Override
  public void remove(String channelId) {
    synchronized (joinLock) {
      FollowerChannel follower = followers.remove(channelId);
      if (follower != null) {
        removeFollower(follower);
        return;
      }
      ChainSupport support = channels.remove(channelId);
      if (support == null) {
        throw new ChannelManagerException(Kind.NOT_FOUND, "channel does not exist");
      }
      try {
        support.chain().halt();
        support.ledger().close();
        Directories.deleteTree(chainsDir.resolve(channelId));
        consenter.deleteChannelState(channelId);
      } catch (RuntimeException e) {
        log.error("[channel: {}] removal failed: {}", channelId, e.getMessage(), e);
        throw new ChannelManagerException(Kind.REMOVAL_FAILED, "channel removal failure");
      }
      log.info("[channel: {}] removed", channelId);
      notifyListener();
    }
  }

  /** The current config of every channel, followed ones included. */
  public Map<String, ChannelConfig> configs() {
    Map<String, ChannelConfig> out = new java.util.TreeMap<>();
    followers.forEach((id, f) -> out.put(id, f.config()));
    channels.forEach((id, s) -> out.put(id, s.channelConfig()));
    return out;
  }

  /** The channel this node follows, for tests and operations. */
  public Optional<FollowerChannel> follower(String channelId) {
    return Optional.ofNullable(followers.get(channelId));
  }

  // ---------------------------------------------------------------- followers

  private ChannelInfo joinAsFollower(String channelId, Block configBlock) {
    Path dir = chainsDir.resolve(channelId);
    BlockLedger ledger = BlockLedger.open(dir, LedgerOptions.defaults());
    try {
      writeJoinBlock(channelId, configBlock);
      startFollower(channelId, ledger, Optional.of(configBlock));
    } catch (RuntimeException e) {
      followers.remove(channelId);
      deleteJoinBlock(channelId);
      discard(channelId, ledger, dir);
      throw new ChannelManagerException(Kind.OTHER, e.getMessage());
    }
    log.info(
        "[channel: {}] joined as follower with block [{}]",
        channelId,
        configBlock.getHeader().getNumber());
    notifyListener();
    return info(channelId);
  }

  private void startFollower(String channel, BlockLedger ledger, Optional<Block> joinBlock) {
    startFollower(channel, ledger, joinBlock, -1);
  }

  private void startFollower(
      String channel, BlockLedger ledger, Optional<Block> joinBlock, long refusedConfigSequence) {
    FollowerChannel follower =
        new FollowerChannel(
            channel,
            ledger,
            joinBlock,
            pullers.orElseThrow().apply(channel),
            resources.loader(),
            consenter::isConsenter,
            followerPollInterval,
            new FollowerChannel.Listener() {
              @Override
              public void becameConsenter(FollowerChannel f) {
                // promoted on a thread of its own: the follower's thread ends first, so removing
                // the channel meanwhile (which waits for that thread under the lock) cannot
                // deadlock
                Thread.ofVirtual().name("promote-" + channel).start(() -> promote(f));
              }

              @Override
              public void onboarded(FollowerChannel f) {
                deleteJoinBlock(channel);
              }
            },
            refusedConfigSequence);
    followers.put(channel, follower);
    follower.start();
  }

  /** The follower's config lists this node: its ledger now backs a consenter chain. */
  private void promote(FollowerChannel follower) {
    String channel = follower.channel();
    synchronized (joinLock) {
      if (followers.get(channel) != follower) {
        return;
      }
      follower.close();
      followers.remove(channel);
      deleteJoinBlock(channel);
      try {
        ChainSupport support = newSupport(channel, follower.ledger());
        channels.put(channel, support);
        support.chain().start();
        log.info(
            "[channel: {}] follower turned consenter at height {}",
            channel,
            follower.ledger().height());
      } catch (RuntimeException e) {
        log.error(
            "[channel: {}] cannot start the consenter chain, following again: {}",
            channel,
            e.getMessage(),
            e);
        startFollower(channel, follower.ledger(), Optional.empty(), follower.config().sequence());
      }
      notifyListener();
    }
  }

  /**
   * Halts the consensus chain of a channel this node was removed from and follows the channel
   * instead (Fabric's switch to follower after an eviction); the WAL and snapshots are deleted,
   * since a later return as consenter starts a fresh raft member.
   */
  public void demote(String channelId) {
    synchronized (joinLock) {
      ChainSupport support = channels.remove(channelId);
      if (support == null || pullers.isEmpty()) {
        return;
      }
      support.chain().halt();
      consenter.deleteChannelState(channelId);
      // the config that removed this node does not make it a consenter again; a later one may
      startFollower(
          channelId, support.ledger(), Optional.empty(), support.channelConfig().sequence());
      log.info("[channel: {}] consenter chain halted; following the channel", channelId);
      notifyListener();
    }
  }

  private void removeFollower(FollowerChannel follower) {
    String channelId = follower.channel();
    try {
      follower.close();
      follower.ledger().close();
      Directories.deleteTree(chainsDir.resolve(channelId));
      deleteJoinBlock(channelId);
      consenter.deleteChannelState(channelId);
    } catch (RuntimeException e) {
      log.error("[channel: {}] removal failed: {}", channelId, e.getMessage(), e);
      throw new ChannelManagerException(Kind.REMOVAL_FAILED, "channel removal failure");
    }
    log.info("[channel: {}] follower removed", channelId);
    notifyListener();
  }

  private Path joinBlockFile(String channel) {
    return joinBlocksDir.resolve(channel + JOIN_BLOCK_SUFFIX);
  }

  private void writeJoinBlock(String channel, Block block) {
    Directories.create(joinBlocksDir);
    Path file = joinBlockFile(channel);
    Path tmp = joinBlocksDir.resolve(channel + JOIN_BLOCK_SUFFIX + ".tmp");
    try {
      Files.write(tmp, block.toByteArray());
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the join block of " + channel + " in " + file, e);
    }
  }

  private Optional<Block> readJoinBlock(String channel) {
    Path file = joinBlockFile(channel);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Block.parseFrom(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the join block of " + channel + " in " + file, e);
    }
  }

  private void deleteJoinBlock(String channel) {
    try {
      Files.deleteIfExists(joinBlockFile(channel));
    } catch (IOException e) {
      log.warn("[channel: {}] cannot delete its join block: {}", channel, e.getMessage());
    }
  }

  /** Halts every chain and closes every ledger; the channels resume on the next start. */
  @Override
  public void close() {
    synchronized (joinLock) {
      for (FollowerChannel follower : followers.values()) {
        follower.close();
        follower.ledger().close();
      }
      followers.clear();
      for (ChainSupport support : channels.values()) {
        try {
          support.chain().halt();
        } catch (RuntimeException e) {
          log.warn("[channel: {}] halt failed: {}", support.channelId(), e.getMessage());
        }
        support.ledger().close();
      }
      channels.clear();
    }
  }

  private ChainSupport newSupport(String channel, BlockLedger ledger) {
    return new ChainSupport(
        channel,
        ledger,
        resources,
        consenter,
        new ChainSupport.ConfigListener() {
          @Override
          public void configChanged(String ch, ChannelConfig config) {
            notifyListener();
          }

          @Override
          public void evicted(String ch, long configBlock) {
            // halting the chain waits for its threads, one of which tells this
            Thread.ofVirtual().name("demote-" + ch).start(() -> demote(ch));
          }
        });
  }

  private void discard(String channel, BlockLedger ledger, Path dir) {
    ledger.close();
    try {
      Directories.deleteTree(dir);
      consenter.deleteChannelState(channel);
    } catch (RuntimeException e) {
      log.warn("[channel: {}] cleaning up a failed join: {}", channel, e.getMessage());
    }
  }

  private ChannelInfo info(String channelId) {
    FollowerChannel f = followers.get(channelId);
    if (f != null) {
      return new ChannelInfo(channelId, FOLLOWER, f.status().apiName(), f.height());
    }
    ChainSupport s = channels.get(channelId);
    long height = s == null ? 0 : s.height();
    return new ChannelInfo(channelId, CONSENTER, ACTIVE, height);
  }

  private void notifyListener() {
    listener.channelsChanged(configs());
  }
}

package io.ordo.orderer.multichannel;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.ConfigException;
import io.ordo.fabric.configtx.ChannelIds;
import io.ordo.orderer.admin.ChannelInfo;
import io.ordo.orderer.admin.ChannelManager;
import io.ordo.orderer.admin.ChannelManagerException;
import io.ordo.orderer.admin.ChannelManagerException.Kind;
import io.ordo.orderer.admin.LedgerDetails;
import io.ordo.orderer.broadcast.BroadcastChannels;
import io.ordo.orderer.broadcast.BroadcastSupport;
import io.ordo.orderer.consensus.Consenter;
import io.ordo.orderer.consensus.NotConsenterException;
import io.ordo.orderer.deliver.DeliverChannels;
import io.ordo.orderer.deliver.DeliverSupport;
import io.ordo.orderer.follower.FollowerChannel;
import io.ordo.orderer.ops.ChannelLog;
import io.ordo.orderer.replication.BlockPuller;
import io.ordo.storage.io.Directories;
import io.ordo.storage.io.StorageCorruptionException;
import io.ordo.storage.io.StorageIoException;
import io.ordo.storage.ledger.BlockLedger;
import io.ordo.storage.ledger.LedgerOptions;
import io.ordo.storage.ledger.LedgerScrub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
 * every channel found on disk and resumes its chain. A channel whose data turns out damaged (at
 * start or on any read) has that data moved aside and is rebuilt from the other orderers as
 * onboarding builds a channel, or, when it cannot be, is listed as failed with the reason, its data
 * in place.
 */
public final class Registrar implements ChannelManager, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Registrar.class);

  /** Fabric's consensusRelation and status values for a running etcdraft member. */
  static final String CONSENTER = "consenter";

  static final String ACTIVE = "active";

  static final String FOLLOWER = "follower";

  static final String FAILED = "failed";

  /**
   * A channel whose data is on disk but which does not run: listed with status "failed" and the
   * reason, removable, never deleted by the node on its own.
   *
   * @param height the ledger's height when it could be read, else 0
   */
  record Unavailable(String relation, long height, String reason) {}

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
  private final Map<String, Unavailable> unavailable = new ConcurrentHashMap<>();

  /** Channels rebuilt from the other orderers after damage, until they run again, and why. */
  private final Map<String, String> rebuilding = new ConcurrentHashMap<>();

  private final Map<String, LedgerScrub> scrubs = new ConcurrentHashMap<>();

  /** Chains that stopped on their own are started again from disk: 1 s, doubling to 60 s. */
  private final ChainRestarts restarts =
      new ChainRestarts(Duration.ofSeconds(1), Duration.ofSeconds(60), this::restart);

  private final Object joinLock = new Object();

  /** Where a join block waits until its onboarding is done (Fabric's pendingops/join). */
  private final PendingBlocks joinBlocks;

  /** Where the join block of a rebuild waits until the damaged data is moved aside. */
  private final PendingBlocks rebuildBlocks;

  private final DamagedData damagedData;
  private final ChannelRepair repair;
  private final ParticipationMetrics participation;
  private final ChannelMetrics channelMetrics;

  /** Where a consenter's join builds its ledger before it appears under chains/ in one rename. */
  private final Path joiningDir;

  private final Optional<Function<String, BlockPuller>> pullers;
  private final Duration followerPollInterval;

  /** The KeepBlocks of the node's ledger pruning, for the detailed channel view; 0 without. */
  private volatile long keepBlocks;

  /** How every ledger is opened: block files of the pruning's size when it prunes. */
  private volatile LedgerOptions ledgerOptions = LedgerOptions.defaults();

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
    this(
        ledgerLocation,
        consenter,
        resources,
        listener,
        pullers,
        followerPollInterval,
        Map.of(),
        new SimpleMeterRegistry());
  }

  /**
   * As above, with the folders the consensus keeps per channel, which a damaged channel's data is
   * moved aside with, and the registry of the participation, ledger and block cutter gauges.
   *
   * @param consensusFolders name inside the damaged folder to the root of the per-channel folders
   *     (Consensus.WALDir as "wal", Consensus.SnapDir as "snapshot")
   */
  public Registrar(
      Path ledgerLocation,
      Consenter consenter,
      ChannelResources resources,
      ChannelsListener listener,
      Optional<Function<String, BlockPuller>> pullers,
      Duration followerPollInterval,
      Map<String, Path> consensusFolders,
      MeterRegistry metrics) {
    this.pullers = pullers;
    this.followerPollInterval = followerPollInterval;
    this.joinBlocks = new PendingBlocks(ledgerLocation.resolve("pendingops").resolve("join"));
    this.rebuildBlocks = new PendingBlocks(ledgerLocation.resolve("pendingops").resolve("rebuild"));
    this.joiningDir = ledgerLocation.resolve("pendingops").resolve("joining");
    this.chainsDir = ledgerLocation.resolve("chains");
    this.consenter = consenter;
    this.resources = resources;
    this.listener = listener;
    List<DamagedData.Kept> kept = new java.util.ArrayList<>();
    kept.add(new DamagedData.Kept("ledger", chainsDir));
    consensusFolders.forEach((name, root) -> kept.add(new DamagedData.Kept(name, root)));
    this.damagedData = new DamagedData(ledgerLocation, kept, resources.clock());
    this.repair =
        new ChannelRepair(resources.loader(), consenter::isConsenter, pullers.isPresent());
    this.participation = new ParticipationMetrics(metrics, this::channel);
    this.channelMetrics = new ChannelMetrics(metrics);
  }

  /**
   * Reopens every channel whose data is on disk and starts its chain (Fabric's {@code
   * Registrar.Initialize}). A channel that cannot run is kept as it is and listed as failed with
   * the reason: the node deletes nothing it did not create in the same operation, except what an
   * interrupted join left under {@code pendingops/joining}.
   */
  public void initialize() {
    Directories.create(chainsDir);
    Directories.deleteTree(joiningDir);
    for (String channel : channelsOnDisk()) {
      resume(channel);
    }
    notifyListener();
  }

  /** Every channel with a ledger folder, a pending join block or consensus state. */
  private Set<String> channelsOnDisk() {
    Set<String> names = new TreeSet<>();
    names.addAll(entries(chainsDir, Files::isDirectory, ""));
    names.addAll(joinBlocks.channels());
    names.addAll(rebuildBlocks.channels());
    names.addAll(consenter.channelsWithState());
    Set<String> channelIds = new TreeSet<>();
    for (String name : names) {
      if (ChannelIds.isValid(name)) {
        channelIds.add(name);
      } else {
        log.warn(
            "ignoring '{}' under {}: not a channel ID ({}); it is left as it is",
            name,
            chainsDir.getParent(),
            ChannelIds.problem(name).orElse(""));
      }
    }
    return channelIds;
  }

  private static List<String> entries(
      Path dir, java.util.function.Predicate<Path> kind, String suffix) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(kind)
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(suffix))
          .map(n -> n.substring(0, n.length() - suffix.length()))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private void resume(String channel) {
    Path dir = ledgerDir(channel);
    Optional<Block> pendingJoin;
    Optional<Block> pendingRebuild;
    try {
      pendingRebuild = rebuildBlocks.read(channel);
      pendingJoin = pullers.isPresent() ? joinBlocks.read(channel) : Optional.empty();
    } catch (RuntimeException e) {
      markUnavailable(channel, FOLLOWER, 0, "its join block cannot be read: " + e.getMessage());
      return;
    }
    if (pendingRebuild.isPresent()) {
      ChannelLog.of(log, channel).warn("finishing a rebuild that a stop interrupted");
      rebuild(channel, pendingRebuild.get(), "a rebuild was interrupted by a stop");
      return;
    }
    if (!Files.isDirectory(dir) && pendingJoin.isEmpty()) {
      markUnavailable(
          channel,
          CONSENTER,
          0,
          "its consensus state is on disk but its ledger folder " + dir + " is missing");
      return;
    }
    BlockLedger ledger;
    long checkedFrom;
    try {
      ledger = openLedger(channel);
    } catch (StorageCorruptionException e) {
      rebuildOrRefuse(channel, CONSENTER, 0, e);
      return;
    } catch (RuntimeException e) {
      markUnavailable(channel, CONSENTER, 0, "its ledger cannot be opened: " + e.getMessage());
      return;
    }
    try {
      checkedFrom = LedgerScrub.verifyNewest(ledger, LedgerScrub.NEWEST_BYTES);
    } catch (StorageCorruptionException e) {
      long height = ledger.height();
      ledger.close();
      rebuildOrRefuse(channel, CONSENTER, height, e);
      return;
    }
    if (pendingJoin.isPresent()) {
      startFollower(channel, ledger, pendingJoin);
      scrub(channel, ledger, checkedFrom);
      ChannelLog.of(log, channel).info("resuming onboarding at height {}", ledger.height());
      return;
    }
    if (ledger.height() == 0) {
      ledger.close();
      markUnavailable(channel, CONSENTER, 0, "its ledger in " + dir + " holds no block");
      return;
    }
    try {
      ChainSupport support = newSupport(channel, ledger);
      channels.put(channel, support);
      support.chain().start();
      ChannelLog.of(log, channel).info("resumed at height {}", ledger.height());
    } catch (NotConsenterException e) {
      if (pullers.isPresent()) {
        startFollower(channel, ledger, Optional.empty());
        ChannelLog.of(log, channel).info("resumed as follower at height {}", ledger.height());
      } else {
        ledger.close();
        markUnavailable(channel, CONSENTER, 0, e.getMessage());
        return;
      }
    } catch (RuntimeException e) {
      channels.remove(channel);
      long height = ledger.height();
      ledger.close();
      Optional<StorageCorruptionException> damage = damageIn(e);
      if (damage.isPresent()) {
        rebuildOrRefuse(channel, CONSENTER, height, damage.get());
        return;
      }
      if (StorageIoException.in(e).isPresent()) {
        // a disk's failure (still full, say): one line; the restart backoff tries again
        ChannelLog.of(log, channel)
            .error(
                "cannot resume the channel from {}: {}",
                dir,
                StorageIoException.in(e).get().getMessage());
      } else {
        ChannelLog.of(log, channel).error("cannot resume the channel from {}", dir, e);
      }
      markUnavailable(channel, CONSENTER, height, "cannot resume: " + e.getMessage());
      return;
    }
    scrub(channel, ledger, checkedFrom);
  }

  /** The damage a failure to start a chain comes from (its WAL or snapshots), if it is one. */
  private static Optional<StorageCorruptionException> damageIn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StorageCorruptionException damage) {
        return Optional.of(damage);
      }
    }
    return Optional.empty();
  }

  /** Opens the channel's ledger, its damage reported to {@link #damaged}. */
  private BlockLedger openLedger(String channel) {
    BlockLedger opened =
        BlockLedger.open(
            ledgerDir(channel),
            ledgerOptions
                .withCorruptionListener((ledger, damage) -> damaged(channel, ledger, damage))
                .withAppendListener(channelMetrics.appends(channel)));
    channelMetrics.ledgerOpened(channel, opened.height());
    return opened;
  }

  /** Checks the blocks below {@code below} in the background; damage comes to {@link #damaged}. */
  private void scrub(String channel, BlockLedger ledger, long below) {
    stopScrub(channel);
    if (below > 0) {
      scrubs.put(channel, LedgerScrub.start(ledger, below, LedgerScrub.BYTES_PER_SECOND));
    }
  }

  private void stopScrub(String channel) {
    LedgerScrub scrub = scrubs.remove(channel);
    if (scrub != null) {
      scrub.close();
    }
  }

  // ---------------------------------------------------------------- damaged channels

  /**
   * A read or the scrub found the ledger of a running or followed channel damaged (told once per
   * ledger, on the reader's thread): the channel is repaired on a thread of its own, since halting
   * it waits for the threads that read.
   */
  private void damaged(String channel, BlockLedger ledger, StorageCorruptionException damage) {
    if (owns(channel, ledger)) {
      Thread.ofVirtual().name("repair-" + channel).start(() -> repair(channel, ledger, damage));
    }
  }

  /** Whether {@code ledger} is the one the channel runs or follows on now. */
  private boolean owns(String channel, BlockLedger ledger) {
    ChainSupport support = channels.get(channel);
    FollowerChannel follower = followers.get(channel);
    return (support != null && support.ledger() == ledger)
        || (follower != null && follower.ledger() == ledger);
  }

  /** Stops the channel whose ledger is damaged and rebuilds it, or lists it as failed. */
  private void repair(String channel, BlockLedger ledger, StorageCorruptionException damage) {
    synchronized (joinLock) {
      if (!owns(channel, ledger)) {
        return; // removed, demoted to another ledger or repaired meanwhile
      }
      rebuilding.put(channel, damage.getMessage()); // listed as onboarding while it is stopped
      String relation;
      ChainSupport support = channels.remove(channel);
      if (support != null) {
        relation = CONSENTER;
        support.chain().halt();
      } else {
        relation = FOLLOWER;
        followers.remove(channel).close();
      }
      stopScrub(channel);
      long height = ledger.height();
      ledger.close();
      rebuildOrRefuse(channel, relation, height, damage);
      notifyListener();
    }
  }

  /**
   * Rebuilds a channel whose data is damaged from the other orderers, from the newest config block
   * its ledger still holds, or lists it as failed, its data in place, when it cannot be.
   */
  private void rebuildOrRefuse(
      String channel, String relation, long height, StorageCorruptionException damage) {
    Block join;
    try {
      join = repair.joinBlock(channel, ledgerDir(channel), damage.getMessage());
    } catch (DamagedChannelException e) {
      markUnavailable(channel, relation, height, e.reason());
      return;
    } catch (RuntimeException e) {
      markUnavailable(
          channel, relation, height, damage.getMessage() + "; not rebuilt: " + e.getMessage());
      return;
    }
    try {
      // first, so that a stop before the rebuild starts finishes it on the next start
      rebuildBlocks.save(channel, join);
    } catch (RuntimeException e) {
      markUnavailable(
          channel, relation, height, damage.getMessage() + "; not rebuilt: " + e.getMessage());
      return;
    }
    rebuild(channel, join, damage.getMessage());
  }

  /**
   * Moves what the node keeps of the channel aside and onboards it again from {@code join}, as a
   * join with that block would: a follower that pulls and verifies the chain from block 0 and turns
   * consenter when the config lists this node.
   */
  private void rebuild(String channel, Block join, String reason) {
    try {
      Optional<Path> aside = damagedData.moveAside(channel, reason);
      ChannelLog.of(log, channel)
          .error(
              "damaged: {}; its data is kept in {} and the channel is rebuilt from the"
                  + " other orderers with config block [{}] as join block",
              reason,
              aside.map(Path::toString).orElse("(nothing left to move)"),
              join.getHeader().getNumber());
      joinBlocks.save(channel, join);
      rebuildBlocks.delete(channel);
      rebuilding.put(channel, reason);
      startFollower(channel, openLedger(channel), Optional.of(join));
    } catch (RuntimeException e) {
      rebuilding.remove(channel);
      followers.remove(channel);
      markUnavailable(channel, CONSENTER, 0, reason + "; the rebuild failed: " + e.getMessage());
    }
  }

  private void markUnavailable(String channel, String relation, long height, String reason) {
    unavailable.put(channel, new Unavailable(relation, height, reason));
    rebuilding.remove(channel);
    ChannelLog.of(log, channel).error("unavailable: {}", reason);
  }

  /** The channels whose data is on disk but which do not run, and why. */
  public Map<String, String> unavailableChannels() {
    Map<String, String> out = new java.util.TreeMap<>();
    unavailable.forEach((id, u) -> out.put(id, u.reason()));
    return out;
  }

  /** The channels being rebuilt from the other orderers after damage, and what was damaged. */
  public Map<String, String> rebuildingChannels() {
    return new java.util.TreeMap<>(rebuilding);
  }

  // ---------------------------------------------------------------- Broadcast, Deliver lookups
  // (views rather than interfaces: ChannelManager's channel(String) has the same signature)

  /** The channels Broadcast can hand envelopes to. */
  public BroadcastChannels forBroadcast() {
    return id -> Optional.<BroadcastSupport>ofNullable(channels.get(id));
  }

  /**
   * The channels Deliver can serve blocks of; one being rebuilt or failed is held but unavailable.
   */
  public DeliverChannels forDeliver() {
    return new DeliverChannels() {
      @Override
      public Optional<DeliverSupport> channel(String id) {
        return Optional.ofNullable(channels.get(id));
      }

      @Override
      public Optional<String> unavailable(String id) {
        String why = rebuilding.get(id);
        if (why != null) {
          return Optional.of("it is being rebuilt from the other orderers after damage: " + why);
        }
        return Optional.ofNullable(unavailable.get(id)).map(Unavailable::reason);
      }
    };
  }

  /**
   * The ledgers pruning may act on now: every running channel's, with its newest snapshot's block,
   * and every followed channel's that finished onboarding.
   */
  public List<LedgerPruning.Target> pruneTargets() {
    List<LedgerPruning.Target> out = new java.util.ArrayList<>();
    channels.forEach(
        (id, s) -> out.add(new LedgerPruning.Target(id, s.ledger(), s.chain().snapshotBlock())));
    followers.forEach(
        (id, f) -> {
          if (f.status() == FollowerChannel.Status.ACTIVE) {
            out.add(new LedgerPruning.Target(id, f.ledger(), Long.MAX_VALUE));
          }
        });
    return out;
  }

  /** The ConsenterSupport of a channel, for tests and operations. */
  public Optional<ChainSupport> support(String channelId) {
    return Optional.ofNullable(channels.get(channelId));
  }

  // ---------------------------------------------------------------- ChannelManager

  @Override
  public List<ChannelInfo> channels() {
    return Stream.of(
            channels.keySet(), followers.keySet(), unavailable.keySet(), rebuilding.keySet())
        .flatMap(Set::stream)
        .distinct()
        .sorted()
        .map(this::info)
        .toList();
  }

  @Override
  public Optional<ChannelInfo> channel(String channelId) {
    return known(channelId) ? Optional.of(info(channelId)) : Optional.empty();
  }

  @Override
  public Optional<LedgerDetails> ledgerDetails(String channelId) {
    ChainSupport support = channels.get(channelId);
    FollowerChannel follower = followers.get(channelId);
    BlockLedger ledger =
        support != null ? support.ledger() : follower != null ? follower.ledger() : null;
    return ledger == null
        ? Optional.empty()
        : Optional.of(new LedgerDetails(ledger.first(), keepBlocks));
  }

  /**
   * The node prunes its ledgers keeping {@code keepBlocks} blocks (shown in the detailed view), in
   * block files of {@code blockFileBytes}; called before {@link #initialize}.
   */
  public void pruning(long keepBlocks, long blockFileBytes) {
    this.keepBlocks = keepBlocks;
    this.ledgerOptions = LedgerOptions.defaults().withFileBytes(blockFileBytes);
  }

  @Override
  public ChannelInfo join(String channelId, Block configBlock) {
    Optional<String> badId = ChannelIds.problem(channelId);
    if (badId.isPresent()) {
      throw new ChannelManagerException(Kind.INVALID_JOIN_BLOCK, "bad channel ID: " + badId.get());
    }
    synchronized (joinLock) {
      if (known(channelId)) {
        throw new ChannelManagerException(Kind.ALREADY_EXISTS, "channel already exists");
      }
      Optional<Path> leftover = dataOnDisk(channelId);
      if (leftover.isPresent()) {
        throw new ChannelManagerException(
            Kind.OTHER,
            "channel "
                + channelId
                + " has data on disk that no channel of this node owns ("
                + leftover.get()
                + "); move it away and join again");
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
      BlockLedger ledger = createLedger(channelId, configBlock);
      ChainSupport support;
      try {
        support = newSupport(channelId, ledger);
      } catch (RuntimeException e) {
        discard(channelId, ledger);
        throw new ChannelManagerException(Kind.OTHER, e.getMessage());
      }
      channels.put(channelId, support);
      support.chain().start();
      ChannelLog.of(log, channelId).info("joined as consenter with block [0]");
      notifyListener();
      return info(channelId);
    }
  }

  /**
   * The ledger of a new channel holding {@code genesis}: built under pendingops/joining and moved
   * under chains/ in one rename, so that an interrupted join never leaves a ledger without its
   * first block.
   */
  private BlockLedger createLedger(String channelId, Block genesis) {
    Path staging = Directories.child(joiningDir, channelId);
    Directories.deleteTree(staging);
    BlockLedger staged = BlockLedger.open(staging, ledgerOptions);
    try {
      staged.append(genesis);
    } catch (RuntimeException e) {
      staged.close();
      Directories.deleteTree(staging);
      throw new ChannelManagerException(
          Kind.OTHER, "cannot write the join block of " + channelId + ": " + e.getMessage());
    }
    staged.close();
    Directories.renameDurably(staging, ledgerDir(channelId));
    return openLedger(channelId);
  }

  /** Whether the node runs, follows or holds a failed channel of that ID. */
  private boolean known(String channelId) {
    return channels.containsKey(channelId)
        || followers.containsKey(channelId)
        || unavailable.containsKey(channelId)
        || rebuilding.containsKey(channelId);
  }

  /** A file or folder of the channel that exists, if any. */
  private Optional<Path> dataOnDisk(String channelId) {
    for (Path p :
        List.of(ledgerDir(channelId), joinBlocks.file(channelId), rebuildBlocks.file(channelId))) {
      if (Files.exists(p)) {
        return Optional.of(p);
      }
    }
    return consenter.channelState(channelId);
  }

  @Override
  public void remove(String channelId) {
    synchronized (joinLock) {
      FollowerChannel follower = followers.remove(channelId);
      if (follower != null) {
        stopScrub(channelId);
        rebuilding.remove(channelId);
        removeFollower(follower);
        return;
      }
      if (unavailable.containsKey(channelId)) {
        restarts.cancel(channelId);
        deleteChannelData(channelId);
        unavailable.remove(channelId);
        ChannelLog.of(log, channelId).info("removed (it was unavailable)");
        notifyListener();
        return;
      }
      ChainSupport support = channels.remove(channelId);
      if (support == null) {
        throw new ChannelManagerException(Kind.NOT_FOUND, "channel does not exist");
      }
      try {
        stopScrub(channelId);
        support.chain().halt();
        support.ledger().close();
        deleteChannelData(channelId);
      } catch (RuntimeException e) {
        ChannelLog.of(log, channelId).error("removal failed: {}", e.getMessage(), e);
        throw new ChannelManagerException(Kind.REMOVAL_FAILED, "channel removal failure");
      }
      ChannelLog.of(log, channelId).info("removed");
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
    // the join block first: a ledger folder without it after a crash would not be an onboarding
    joinBlocks.save(channelId, configBlock);
    BlockLedger ledger;
    try {
      ledger = openLedger(channelId);
    } catch (RuntimeException e) {
      deleteJoinBlock(channelId);
      throw new ChannelManagerException(Kind.OTHER, e.getMessage());
    }
    try {
      startFollower(channelId, ledger, Optional.of(configBlock));
    } catch (RuntimeException e) {
      followers.remove(channelId);
      discard(channelId, ledger);
      throw new ChannelManagerException(Kind.OTHER, e.getMessage());
    }
    ChannelLog.of(log, channelId)
        .info("joined as follower with block [{}]", configBlock.getHeader().getNumber());
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
                if (!consenter.isConsenter(f.config())) {
                  rebuilding.remove(channel); // a follower: it follows again
                }
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
        if (rebuilding.remove(channel) != null) {
          ChannelLog.of(log, channel).info("rebuilt from the other orderers");
        }
        ChannelLog.of(log, channel)
            .info("follower turned consenter at height {}", follower.ledger().height());
      } catch (RuntimeException e) {
        channels.remove(channel);
        Optional<StorageCorruptionException> damage = damageIn(e);
        if (damage.isPresent()) {
          long height = follower.ledger().height();
          follower.ledger().close();
          rebuildOrRefuse(channel, FOLLOWER, height, damage.get());
          notifyListener();
          return;
        }
        ChannelLog.of(log, channel)
            .error("cannot start the consenter chain, following again: {}", e.getMessage(), e);
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
      ChannelLog.of(log, channelId).info("consenter chain halted; following the channel");
      notifyListener();
    }
  }

  private void removeFollower(FollowerChannel follower) {
    String channelId = follower.channel();
    try {
      follower.close();
      follower.ledger().close();
      deleteChannelData(channelId);
    } catch (RuntimeException e) {
      ChannelLog.of(log, channelId).error("removal failed: {}", e.getMessage(), e);
      throw new ChannelManagerException(Kind.REMOVAL_FAILED, "channel removal failure");
    }
    ChannelLog.of(log, channelId).info("follower removed");
    notifyListener();
  }

  /** The channel's ledger folder; the ID was validated, and the path is checked again. */
  private Path ledgerDir(String channel) {
    return Directories.child(chainsDir, channel);
  }

  /**
   * Everything the node keeps of a channel: ledger, pending join blocks, WAL and snapshots (not
   * what a repair moved aside).
   */
  private void deleteChannelData(String channelId) {
    Directories.deleteTree(ledgerDir(channelId));
    deleteJoinBlock(channelId);
    rebuildBlocks.delete(channelId);
    consenter.deleteChannelState(channelId);
  }

  private void deleteJoinBlock(String channel) {
    try {
      joinBlocks.delete(channel);
    } catch (RuntimeException e) {
      ChannelLog.of(log, channel).warn("cannot delete its join block: {}", e.getMessage());
    }
  }

  /** Halts every chain and closes every ledger; the channels resume on the next start. */
  @Override
  public void close() {
    restarts.close();
    synchronized (joinLock) {
      List.copyOf(scrubs.keySet()).forEach(this::stopScrub);
      for (FollowerChannel follower : followers.values()) {
        follower.close();
        follower.ledger().close();
      }
      followers.clear();
      for (ChainSupport support : channels.values()) {
        try {
          support.chain().halt();
        } catch (RuntimeException e) {
          ChannelLog.of(log, support.channelId()).warn("halt failed: {}", e.getMessage());
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
        channelMetrics.blockFill(channel),
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

          @Override
          public void chainFailed(String ch, Throwable cause) {
            Thread.ofVirtual().name("failed-" + ch).start(() -> failed(ch, cause));
          }
        });
  }

  /**
   * The channel's chain stopped on its own: the channel is listed as failed with the cause, and its
   * chain is started again from disk until it runs (a full disk that was freed, a disk back).
   */
  private void failed(String channel, Throwable cause) {
    synchronized (joinLock) {
      ChainSupport support = channels.remove(channel);
      if (support == null) {
        return; // removed or demoted meanwhile
      }
      long height = support.height();
      stopScrub(channel);
      support.chain().halt();
      support.ledger().close();
      markUnavailable(
          channel,
          CONSENTER,
          height,
          "its chain stopped: " + cause.getMessage() + "; it is started again until it runs");
      restarts.schedule(channel);
      notifyListener();
    }
  }

  /** One attempt of {@link ChainRestarts}: true when there is nothing more to try. */
  private boolean restart(String channel) {
    synchronized (joinLock) {
      if (!unavailable.containsKey(channel) || !restarts.scheduled(channel)) {
        return true; // removed, or joined again meanwhile
      }
      // listed as failed until resume puts it back, or lists it as failed again with its reason
      Unavailable before = unavailable.get(channel);
      resume(channel);
      if (unavailable.get(channel) != before) {
        return false;
      }
      unavailable.remove(channel);
      ChannelLog.of(log, channel).info("started again after its chain stopped");
      notifyListener();
      return true;
    }
  }

  /** Undoes a join that failed after it made the channel's data (nothing existed before it). */
  private void discard(String channel, BlockLedger ledger) {
    ledger.close();
    try {
      deleteChannelData(channel);
    } catch (RuntimeException e) {
      ChannelLog.of(log, channel).warn("cleaning up a failed join: {}", e.getMessage());
    }
  }

  private ChannelInfo info(String channelId) {
    Unavailable u = unavailable.get(channelId);
    if (u != null) {
      return new ChannelInfo(channelId, u.relation(), FAILED, u.height());
    }
    FollowerChannel f = followers.get(channelId);
    if (f != null) {
      return new ChannelInfo(channelId, FOLLOWER, f.status().apiName(), f.height());
    }
    ChainSupport s = channels.get(channelId);
    if (s == null && rebuilding.containsKey(channelId)) {
      return new ChannelInfo(channelId, FOLLOWER, FollowerChannel.Status.ONBOARDING.apiName(), 0);
    }
    long height = s == null ? 0 : s.height();
    return new ChannelInfo(channelId, CONSENTER, ACTIVE, height);
  }

  private void notifyListener() {
    channels().forEach(info -> participation.track(info.name()));
    listener.channelsChanged(configs());
  }
}

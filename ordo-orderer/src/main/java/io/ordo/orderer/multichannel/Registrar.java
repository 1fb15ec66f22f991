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
import io.ordo.orderer.deliver.DeliverChannels;
import io.ordo.orderer.deliver.DeliverSupport;
import io.ordo.storage.io.Directories;
import io.ordo.storage.ledger.BlockLedger;
import io.ordo.storage.ledger.LedgerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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

  /** An etcdraft chain halted after its own removal (Fabric's config-tracker). */
  static final String CONFIG_TRACKER = "config-tracker";

  static final String INACTIVE = "inactive";

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
  private final java.util.Set<String> evicted = ConcurrentHashMap.newKeySet();
  private final Object joinLock = new Object();

  /**
   * @param ledgerLocation FileLedger.Location
   */
  public Registrar(
      Path ledgerLocation,
      Consenter consenter,
      ChannelResources resources,
      ChannelsListener listener) {
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
    return channels.keySet().stream().sorted().map(this::info).toList();
  }

  @Override
  public Optional<ChannelInfo> channel(String channelId) {
    return channels.containsKey(channelId) ? Optional.of(info(channelId)) : Optional.empty();
  }

  @Override
  public ChannelInfo join(String channelId, Block configBlock) {
    synchronized (joinLock) {
      if (channels.containsKey(channelId)) {
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
      if (configBlock.getHeader().getNumber() != 0) {
        throw new ChannelManagerException(
            Kind.OTHER,
            "joining with config block ["
                + configBlock.getHeader().getNumber()
                + "] needs onboarding from other orderers, which is not supported yet");
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
      ChainSupport support = channels.remove(channelId);
      evicted.remove(channelId);
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

  /** The current config of every channel. */
  public Map<String, ChannelConfig> configs() {
    Map<String, ChannelConfig> out = new java.util.TreeMap<>();
    channels.forEach((id, s) -> out.put(id, s.channelConfig()));
    return out;
  }

  /** Halts every chain and closes every ledger; the channels resume on the next start. */
  @Override
  public void close() {
    synchronized (joinLock) {
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
        (ch, config) -> notifyListener(),
        () -> evicted(channel));
  }

  /**
   * A config update removed this node from the consenters of {@code channel}: its chain halted. The
   * ledger stays and Deliver keeps serving it; Broadcast answers "chain is stopped". This is where
   * the channel turns follower (pulling blocks, and consenter again when a later config block adds
   * this node) once following is supported.
   */
  void evicted(String channel) {
    ChainSupport support = channels.get(channel);
    if (support == null) {
      return;
    }
    evicted.add(channel);
    try {
      support.chain().halt();
    } catch (RuntimeException e) {
      log.warn("[channel: {}] halting the evicted chain: {}", channel, e.getMessage());
    }
    log.warn(
        "[channel: {}] this node was removed from the consenters at height {}; the chain is"
            + " halted",
        channel,
        support.height());
    notifyListener();
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
    ChainSupport s = channels.get(channelId);
    long height = s == null ? 0 : s.height();
    if (evicted.contains(channelId)) {
      return new ChannelInfo(channelId, CONFIG_TRACKER, INACTIVE, height);
    }
    return new ChannelInfo(channelId, CONSENTER, ACTIVE, height);
  }

  private void notifyListener() {
    listener.channelsChanged(configs());
  }
}

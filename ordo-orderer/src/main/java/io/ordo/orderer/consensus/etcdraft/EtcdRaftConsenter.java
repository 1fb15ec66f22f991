package io.ordo.orderer.consensus.etcdraft;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.EtcdRaftConfig;
import io.ordo.fabric.channelconfig.RaftConsenter;
import io.ordo.fabric.channelconfig.RaftOptions;
import io.ordo.fabric.crypto.Pem;
import io.ordo.orderer.cluster.ClusterClient;
import io.ordo.orderer.cluster.ClusterHandler;
import io.ordo.orderer.cluster.ClusterMembership;
import io.ordo.orderer.cluster.RemoteNode;
import io.ordo.orderer.cluster.UnreachableListener;
import io.ordo.orderer.config.ConsensusConfig;
import io.ordo.orderer.consensus.Chain;
import io.ordo.orderer.consensus.ChainUnavailableException;
import io.ordo.orderer.consensus.Consenter;
import io.ordo.orderer.consensus.ConsenterSupport;
import io.ordo.orderer.consensus.NotConsenterException;
import io.ordo.orderer.ops.ChannelLog;
import io.ordo.storage.io.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.orderer.ConsensusRequest;
import org.hyperledger.fabric.protos.orderer.SubmitRequest;
import org.hyperledger.fabric.protos.orderer.etcdraft.BlockMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the etcdraft chain of each channel this node is a consenter of (Fabric's etcdraft {@code
 * Consenter.HandleChain}), and routes what the cluster receives to those chains: it is the cluster
 * server's {@link ClusterHandler} and the cluster client's {@link UnreachableListener}.
 */
public final class EtcdRaftConsenter
    implements Consenter, ClusterHandler, UnreachableListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EtcdRaftConsenter.class);

  /** configtxgen's defaults, used when a channel's options leave a field at zero. */
  private static final Duration DEFAULT_TICK = Duration.ofMillis(500);

  private static final int DEFAULT_ELECTION_TICK = 10;
  private static final int DEFAULT_HEARTBEAT_TICK = 1;
  private static final int DEFAULT_MAX_INFLIGHT_BLOCKS = 5;

  private static final long HAND_OFF_POLL_NANOS =
      java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(10);
  private static final long MOVE_RETRY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

  private final ConsensusConfig config;
  private volatile X509Certificate selfCert;
  private final ClusterMembership membership;
  private final ClusterClient client;
  private final Map<String, EtcdRaftChain> chains = new ConcurrentHashMap<>();
  private final MeterRegistry metrics;
  private final EtcdStorageMetrics storageMetrics;
  private final Map<String, EtcdRaftMetrics> channelMetrics = new ConcurrentHashMap<>();
  private final Optional<OtherOrderersBlocks> otherOrderers;

  /** Spreads leaderships over the orderers once they have settled; see {@link LeaderBalancer}. */
  private final LeaderBalancer balancer;

  /** Told when a chain starts or halts or its consenters change (certificate expiries follow). */
  private final List<Runnable> consentersListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** The pair heartbeats of quiet channels; empty with Consensus.QuietIdleChannels off. */
  private final Optional<PairHeartbeats> pairHeartbeats;

  /**
   * @param selfCert this node's cluster server certificate (the separate cluster listener's, else
   *     General.TLS.Certificate): its public key finds this node among a channel's consenters
   * @param clientFactory makes the cluster client, given where it reports unreachable nodes
   */
  public EtcdRaftConsenter(
      ConsensusConfig config,
      X509Certificate selfCert,
      ClusterMembership membership,
      Function<UnreachableListener, ClusterClient> clientFactory) {
    this(config, selfCert, membership, clientFactory, new SimpleMeterRegistry());
  }

  /** As above, with the channels' etcdraft gauges registered in {@code metrics}. */
  public EtcdRaftConsenter(
      ConsensusConfig config,
      X509Certificate selfCert,
      ClusterMembership membership,
      Function<UnreachableListener, ClusterClient> clientFactory,
      MeterRegistry metrics) {
    this(config, selfCert, membership, clientFactory, metrics, Optional.empty());
  }

  /**
   * As above, with block pulling: a chain pulls the blocks a snapshot is ahead by, and a chain
   * without a leader for Consensus.EvictionSuspicion checks whether it was removed.
   */
  public EtcdRaftConsenter(
      ConsensusConfig config,
      X509Certificate selfCert,
      ClusterMembership membership,
      Function<UnreachableListener, ClusterClient> clientFactory,
      MeterRegistry metrics,
      Optional<OtherOrderersBlocks> otherOrderers) {
    this.otherOrderers = otherOrderers;
    this.balancer =
        new LeaderBalancer(
            chains::values,
            config.leadership().balanceSettleTime(),
            config.leadership().balanceLeaders());
    this.metrics = metrics;
    this.storageMetrics = new EtcdStorageMetrics(metrics);
    this.config = config;
    this.selfCert = selfCert;
    this.membership = membership;
    this.client = clientFactory.apply(this);
    this.pairHeartbeats =
        config.quietIdleChannels()
            ? Optional.of(new PairHeartbeats(membership, client, chains::get))
            : Optional.empty();
    Gauge.builder(
            "consensus_etcdraft_quiet_channels",
            () -> pairHeartbeats.map(PairHeartbeats::quietChannels).orElse(0))
        .description("Ordo: the number of this node's channels that are quiet (idle, no ticks).")
        .register(metrics);
  }

  /**
   * This node's cluster server certificate was rotated: later channels find this node by the new
   * one (running chains keep their raft IDs, as a rotation keeps the ID).
   */
  public void selfCertificate(X509Certificate cert) {
    selfCert = cert;
  }

  /**
   * The raft ID of this node among {@code consenters} (raft ID to consenter): the first whose
   * server certificate has this node's public key (Fabric's detectSelfID).
   */
  public OptionalLong detectSelfId(Map<Long, RaftConsenter> consenters) {
    byte[] own = selfCert.getPublicKey().getEncoded();
    return consenters.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .filter(
            e ->
                Arrays.equals(
                    own,
                    certificate(e.getValue().serverTlsCert(), e.getKey())
                        .getPublicKey()
                        .getEncoded()))
        .mapToLong(Map.Entry::getKey)
        .findFirst();
  }

  /** Whether this node is one of the consenters of a channel with this config. */
  @Override
  public boolean isConsenter(ChannelConfig channelConfig) {
    return etcdRaft(channelConfig)
        .map(raft -> detectSelfId(consentersById(raft, List.of())).isPresent())
        .orElse(false);
  }

  @Override
  public Chain handleChain(ConsenterSupport support) {
    String channel = support.channelId();
    EtcdRaftConfig raft =
        etcdRaft(support.channelConfig())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "channel "
                            + channel
                            + " has consensus type "
                            + support.channelConfig().orderer().consensusType()
                            + ", not etcdraft"));
    BlockMetadata metadata =
        BlockApplier.metadataOf(
            support.block(support.height() - 1), idsInOrder(raft.consenters().size()));
    if (metadata.getConsenterIdsCount() != raft.consenters().size()) {
      throw new IllegalArgumentException(
          "channel "
              + channel
              + ": the last block names "
              + metadata.getConsenterIdsCount()
              + " consenter IDs but the config lists "
              + raft.consenters().size()
              + " consenters");
    }
    Map<Long, RaftConsenter> consenters = consentersById(raft, metadata.getConsenterIdsList());
    long self =
        detectSelfId(consenters)
            .orElseThrow(
                () ->
                    new NotConsenterException(
                        "channel "
                            + channel
                            + ": this node's certificate ("
                            + selfCert.getSubjectX500Principal().getName()
                            + ") is not among the consenters, so this node can only follow"
                            + " the channel"));
    Options options = options(support, raft.options(), self, metadata.getConsenterIdsList());
    membership.configure(channel, remotes(consenters, self));
    AtomicReference<EtcdRaftChain> made = new AtomicReference<>();
    Optional<EvictionSuspector> suspector =
        otherOrderers.map(
            r ->
                new EvictionSuspector(
                    channel,
                    config.evictionSuspicion(),
                    checkInterval(r.leaderlessCheckInterval(), config.evictionSuspicion()),
                    () -> made.get().leader(),
                    support,
                    r.pullers().apply(channel),
                    r.loader(),
                    this::isConsenter,
                    (newest, number) -> support.evicted(number),
                    number -> made.get().catchUpTo(number)));
    ChainDependencies.Lifecycle lifecycle =
        new ChainDependencies.Lifecycle() {
          @Override
          public void started() {
            suspector.ifPresent(EvictionSuspector::start);
          }

          @Override
          public void quietChanged(boolean quiet) {
            pairHeartbeats.ifPresent(p -> p.quietChanged(channel, quiet));
          }

          // halting forgets the channel's cluster registrations
          @Override
          public void halted() {
            suspector.ifPresent(EvictionSuspector::close);
            pairHeartbeats.ifPresent(p -> p.removed(channel));
            chains.remove(channel, made.get());
            membership.remove(channel);
            client.prune();
            consentersChanged();
          }
        };
    EtcdRaftChain chain;
    try {
      chain =
          new EtcdRaftChain(
              new ChainDependencies(
                  support,
                  options,
                  new ClusterRaftTransport(channel, client, config.quietIdleChannels()),
                  Submitter.over(channel, client),
                  now -> reconfigure(channel, now),
                  otherOrderers
                      .<CatchUp>map(r -> new PullingCatchUp(r.pullers().apply(channel), r.loader()))
                      .orElse(CatchUp.UNSUPPORTED),
                  lifecycle,
                  channelMetrics.computeIfAbsent(
                      channel, ch -> new EtcdRaftMetrics(metrics, ch, storageMetrics))));
    } catch (RuntimeException e) {
      membership.remove(channel);
      throw e;
    }
    made.set(chain);
    chains.put(channel, chain);
    registerGauges(channel, self);
    consentersChanged();
    ChannelLog.of(log, channel)
        .info(
            "etcdraft chain made: raft ID {} of {}, tick {}",
            self,
            metadata.getConsenterIdsList(),
            options.tickInterval());
    return chain;
  }

  /** Checks at least five times per suspicion threshold, so that short test thresholds work. */
  private static Duration checkInterval(Duration configured, Duration threshold) {
    Duration fifth = threshold.dividedBy(5);
    return configured.compareTo(fifth) < 0 ? configured : fifth;
  }

  /**
   * A chain's consenters changed: the transport learns the new endpoints and pinned certificates,
   * streams to nodes no channel refers to any more are closed. A node whose own certificate was
   * rotated is found by its current certificate, its raft ID unchanged.
   */
  private void reconfigure(String channel, Map<Long, RaftConsenter> consenters) {
    EtcdRaftChain chain = chains.get(channel);
    if (chain == null) {
      return;
    }
    membership.configure(channel, remotes(consenters, chain.raftId()));
    client.prune();
    ChannelLog.of(log, channel).info("cluster membership now {}", consenters.keySet());
    consentersChanged();
  }

  /**
   * When the consenters' certificates expire: a leader whose own expire within the warning
   * threshold hands its leadership to the consenter whose live longest, and asks for none back.
   */
  public void certificateLifetimes(io.ordo.orderer.expiry.ConsenterLifetimes lifetimes) {
    balancer.lifetimes(lifetimes);
  }

  /** {@code listener} is told when a chain starts or halts, or its consenters change. */
  public void onConsentersChanged(Runnable listener) {
    consentersListeners.add(listener);
  }

  private void consentersChanged() {
    for (Runnable r : consentersListeners) {
      try {
        r.run();
      } catch (RuntimeException e) {
        log.warn("a consenters listener failed: {}", e.toString());
      }
    }
  }

  /** The consenter set of each channel this node runs a chain of, with this node's raft ID. */
  public Map<String, io.ordo.orderer.expiry.ConsenterSet> consenterSets() {
    Map<String, io.ordo.orderer.expiry.ConsenterSet> out = new java.util.TreeMap<>();
    chains.forEach(
        (channel, chain) ->
            out.put(
                channel,
                new io.ordo.orderer.expiry.ConsenterSet(chain.raftId(), chain.consenters())));
    return out;
  }

  @Override
  public void deleteChannelState(String channelId) {
    Directories.deleteTree(walDir(channelId));
    Directories.deleteTree(snapDir(channelId));
  }

  @Override
  public Optional<Path> channelState(String channelId) {
    return Stream.of(walDir(channelId), snapDir(channelId)).filter(Files::exists).findFirst();
  }

  @Override
  public Set<String> channelsWithState() {
    Set<String> names = new TreeSet<>();
    for (Path root : List.of(config.walDir(), config.snapDir())) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> entries = Files.list(root)) {
        entries.filter(Files::isDirectory).forEach(p -> names.add(p.getFileName().toString()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + root, e);
      }
    }
    return names;
  }

  /** Consensus.WALDir/<channel>: the ID was validated, and the path is checked again. */
  private Path walDir(String channel) {
    return Directories.child(config.walDir(), channel);
  }

  private Path snapDir(String channel) {
    return Directories.child(config.snapDir(), channel);
  }

  private Options options(
      ConsenterSupport support, RaftOptions o, long self, List<Long> consenterIds) {
    String channel = support.channelId();
    Duration tick =
        config
            .tickIntervalOverride()
            .orElse(o.tickInterval().isZero() ? DEFAULT_TICK : o.tickInterval());
    return new Options(
        self,
        consenterIds,
        walDir(channel),
        snapDir(channel),
        tick,
        o.electionTick() == 0 ? DEFAULT_ELECTION_TICK : o.electionTick(),
        o.heartbeatTick() == 0 ? DEFAULT_HEARTBEAT_TICK : o.heartbeatTick(),
        o.maxInflightBlocks() == 0 ? DEFAULT_MAX_INFLIGHT_BLOCKS : o.maxInflightBlocks(),
        support.channelConfig().orderer().batchSize().preferredMaxBytes(),
        o.snapshotIntervalSize(),
        config.leadership().fastFailover(),
        config.leadership().leaderWait(),
        config.quietIdleChannels());
  }

  private static Optional<EtcdRaftConfig> etcdRaft(ChannelConfig c) {
    if (!"etcdraft".equals(c.orderer().consensusType())) {
      return Optional.empty();
    }
    return c.orderer().etcdRaft();
  }

  /** Raft IDs of a genesis block: 1..n in consenter order. */
  private static List<Long> idsInOrder(int n) {
    List<Long> ids = new ArrayList<>();
    for (long i = 1; i <= n; i++) {
      ids.add(i);
    }
    return ids;
  }

  private static Map<Long, RaftConsenter> consentersById(EtcdRaftConfig raft, List<Long> ids) {
    List<Long> effective = ids.isEmpty() ? idsInOrder(raft.consenters().size()) : ids;
    Map<Long, RaftConsenter> byId = new java.util.TreeMap<>();
    for (int i = 0; i < raft.consenters().size(); i++) {
      byId.put(effective.get(i), raft.consenters().get(i));
    }
    return byId;
  }

  private static List<RemoteNode> remotes(Map<Long, RaftConsenter> consenters, long self) {
    List<RemoteNode> remotes = new ArrayList<>();
    consenters.forEach(
        (id, c) -> {
          if (id != self) {
            remotes.add(
                new RemoteNode(
                    id,
                    c.host(),
                    c.port(),
                    certificate(c.serverTlsCert(), id),
                    certificate(c.clientTlsCert(), id)));
          }
        });
    return remotes;
  }

  private static X509Certificate certificate(byte[] pem, long id) {
    try {
      return Pem.certificate(pem);
    } catch (Pem.PemException e) {
      throw new IllegalArgumentException(
          "the TLS certificate of consenter " + id + " does not parse: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- cluster routing

  @Override
  public void onConsensus(String channel, ConsensusRequest request, long sender) {
    chainOf(channel).consensus(request, sender);
  }

  @Override
  public void onSubmit(String channel, SubmitRequest request, long sender) {
    chainOf(channel).submit(request);
  }

  @Override
  public void onPairHeartbeat(String channel, long sender) {
    pairHeartbeats.ifPresent(p -> p.heard(channel, sender));
  }

  @Override
  public void unreachable(String channel, long nodeId) {
    EtcdRaftChain chain = chains.get(channel);
    if (chain != null) {
      chain.reportUnreachable(nodeId);
    }
  }

  @Override
  public void processGone(String channel, long nodeId) {
    EtcdRaftChain chain = chains.get(channel);
    if (chain != null) {
      chain.processGone(nodeId);
    }
  }

  /**
   * Fabric's etcdraft gauges of a channel. They read the chain through the map, so a channel joined
   * again after a removal reports its new chain.
   */
  private void registerGauges(String channel, long self) {
    Gauge.builder("consensus_etcdraft_is_leader", () -> leaderOf(channel) == self ? 1 : 0)
        .description("The leadership status of the current node: 1 if it is the leader else 0.")
        .tag("channel", channel)
        .register(metrics);
    Gauge.builder(
            "consensus_etcdraft_cluster_size",
            () -> membership.hasChannel(channel) ? membership.remotes(channel).size() + 1 : 0)
        .description("Number of nodes in this channel.")
        .tag("channel", channel)
        .register(metrics);
    Gauge.builder("consensus_etcdraft_active_nodes", () -> activeNodesOf(channel).size())
        .description("Number of active nodes in this channel.")
        .tag("channel", channel)
        .register(metrics);
  }

  /**
   * Hands the leadership of every channel this node leads to its most caught-up active follower,
   * and waits, up to {@code bound}, until each has another leader and its envelopes not yet in a
   * block were taken by that leader: a node stopping this way leaves no election timeout behind it.
   * Channels with a single consenter keep theirs.
   *
   * @return the channels still led by this node, or still waiting for blocks, when the bound ran
   *     out
   */
  public List<String> handOffLeadership(Duration bound) {
    // from now on, leadership this node is given is handed away, and none is asked for
    balancer.drained(true);
    long deadline = System.nanoTime() + bound.toNanos();
    List<EtcdRaftChain> led =
        chains.values().stream().filter(c -> c.leader() == c.raftId()).toList();
    led.forEach(EtcdRaftChain::transferLeadership);
    for (EtcdRaftChain chain : chains.values()) {
      while (System.nanoTime() - deadline < 0 && !chain.handedOff()) {
        java.util.concurrent.locks.LockSupport.parkNanos(HAND_OFF_POLL_NANOS);
      }
    }
    return chains.values().stream()
        .filter(c -> !c.handedOff())
        .map(EtcdRaftChain::channel)
        .toList();
  }

  /**
   * Drains this node for maintenance: it hands away every leadership it holds (as on shutdown, and
   * within {@code bound}), hands away at once any an election gives it later, and asks for none,
   * until {@link #undrain}. A drain lasts until the process stops.
   *
   * @return the channels it still leads, or holds envelopes of, when the bound ran out
   */
  public List<String> drain(Duration bound) {
    log.info("draining: handing away every leadership this node holds");
    return handOffLeadership(bound);
  }

  /** Ends a drain: the balancer asks for this node's share of leaderships again. */
  public void undrain() {
    log.info("no longer drained: this node takes its share of leaderships again");
    balancer.drained(false);
  }

  public boolean drained() {
    return balancer.drained();
  }

  /** The channels this node leads now. */
  public List<String> channelsLed() {
    return chains.values().stream()
        .filter(c -> c.leader() == c.raftId())
        .map(EtcdRaftChain::channel)
        .sorted()
        .toList();
  }

  /** The consenters of {@code channel} by raft ID, as its last config block sets them. */
  public Map<Long, RaftConsenter> consentersOf(String channel) {
    return chainOf(channel).consenters();
  }

  /**
   * Moves leadership of {@code channel} to consenter {@code to} from this node, whether it leads,
   * follows or is {@code to} itself (a follower passes the request to its leader), and waits within
   * {@code bound} until this node sees {@code to} lead.
   *
   * @return the leader this node sees when that happened or the bound ran out (0 for none)
   */
  public long moveLeadership(String channel, long to, Duration bound) {
    EtcdRaftChain chain = chainOf(channel);
    long deadline = System.nanoTime() + bound.toNanos();
    long retryAt = 0;
    while (chain.leader() != to && System.nanoTime() - deadline < 0) {
      // a request made while no leader was known, or lost with a leader change, is asked again
      if (System.nanoTime() - retryAt >= 0) {
        chain.transferLeadership(to);
        retryAt = System.nanoTime() + MOVE_RETRY_NANOS;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(HAND_OFF_POLL_NANOS);
    }
    return chain.leader();
  }

  /** The consenters of {@code channel} this node last learnt to be alive; empty for none. */
  public List<Long> activeNodesOf(String channel) {
    EtcdRaftChain chain = chains.get(channel);
    return chain == null ? List.of() : chain.activeNodes();
  }

  /** The raft ID of the leader this node knows on {@code channel}, 0 for none. */
  public long leaderOf(String channel) {
    EtcdRaftChain chain = chains.get(channel);
    return chain == null ? 0 : chain.leader();
  }

  private EtcdRaftChain chainOf(String channel) {
    EtcdRaftChain chain = chains.get(channel);
    if (chain == null) {
      throw new ChainUnavailableException("channel " + channel + " doesn't exist");
    }
    return chain;
  }

  /** Stops balancing leaderships and pair heartbeats; the chains are halted by their owners. */
  @Override
  public void close() {
    balancer.close();
    pairHeartbeats.ifPresent(PairHeartbeats::close);
  }
}

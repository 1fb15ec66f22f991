package io.ordo.orderer.server;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.msp.LocalSigningIdentity;
import io.ordo.orderer.admin.AdminServer;
import io.ordo.orderer.admin.LeadershipApi;
import io.ordo.orderer.admin.LedgerDetail;
import io.ordo.orderer.admin.ParticipationApi;
import io.ordo.orderer.admin.ServerTls;
import io.ordo.orderer.broadcast.AtomicBroadcastService;
import io.ordo.orderer.broadcast.BroadcastHandler;
import io.ordo.orderer.broadcast.BroadcastMetrics;
import io.ordo.orderer.broadcast.BroadcastOptions;
import io.ordo.orderer.broadcast.Throttling;
import io.ordo.orderer.cluster.ClientOptions;
import io.ordo.orderer.cluster.ClusterClient;
import io.ordo.orderer.cluster.ClusterMembership;
import io.ordo.orderer.cluster.ClusterServer;
import io.ordo.orderer.cluster.CommMetrics;
import io.ordo.orderer.cluster.RotatingKeyManager;
import io.ordo.orderer.cluster.TlsIdentity;
import io.ordo.orderer.config.ClusterConfig;
import io.ordo.orderer.config.GeneralConfig;
import io.ordo.orderer.config.LocalConfig;
import io.ordo.orderer.config.LocalConfigException;
import io.ordo.orderer.config.PruneConfig;
import io.ordo.orderer.config.TlsConfig;
import io.ordo.orderer.consensus.etcdraft.EtcdRaftConsenter;
import io.ordo.orderer.consensus.etcdraft.OtherOrderersBlocks;
import io.ordo.orderer.deliver.DeliverHandler;
import io.ordo.orderer.deliver.DeliverMetrics;
import io.ordo.orderer.deliver.DeliverOptions;
import io.ordo.orderer.expiry.CertificateDetail;
import io.ordo.orderer.expiry.CertificateExpiries;
import io.ordo.orderer.expiry.ExpiryThreshold;
import io.ordo.orderer.expiry.ExpiryWarnings;
import io.ordo.orderer.multichannel.ChannelResources;
import io.ordo.orderer.multichannel.LedgerPruning;
import io.ordo.orderer.multichannel.Registrar;
import io.ordo.orderer.ops.BuildInfo;
import io.ordo.orderer.ops.LoggingMetrics;
import io.ordo.orderer.ops.NodeMetrics;
import io.ordo.orderer.ops.OperationsServer;
import io.ordo.orderer.replication.BlockPuller;
import io.ordo.orderer.replication.PullerIdentity;
import io.ordo.orderer.replication.PullerSettings;
import io.ordo.orderer.rpc.GrpcServerMetrics;
import io.ordo.orderer.rpc.MaxSendMessageSize;
import io.ordo.orderer.rpc.TransportLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One orderer node, made from its local config (Fabric's {@code server.Start}): the general gRPC
 * listener (AtomicBroadcast, and the cluster service when the cluster shares it), the separate
 * cluster listener when configured, the cluster client, the etcdraft consenter, the registrar of
 * channels, the admin listener and the operations listener. {@link #close()} stops listeners, halts
 * chains and closes stores, in that order.
 */
public final class OrdererServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OrdererServer.class);

  /** The Fabric release whose behaviour this node reproduces, reported by /version. */
  static final String FABRIC_VERSION = BuildInfo.FABRIC_VERSION;

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private Registrar registrar;
  private EtcdRaftConsenter consenter;

  /** Consensus.HandOffOnStop: off, SIGTERM stops the node at once, as Fabric's does. */
  private boolean handOffOnStop = true;

  private BroadcastHandler broadcast;
  private Server generalServer;
  private ClusterServer clusterServer;
  private AdminServer adminServer;
  private OperationsServer operationsServer;
  private volatile ClusterClient clusterClient;
  private CertificateExpiries expiries;

  private OrdererServer() {}

  /**
   * Starts every part of the node and resumes the channels on disk.
   *
   * @throws LocalConfigException when a setting is missing or unusable (the key is named)
   */
  public static OrdererServer start(LocalConfig config) {
    TransportLog.quietDeframeFailures();
    OrdererServer node = new OrdererServer();
    try {
      node.startParts(config);
      return node;
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  private void startParts(LocalConfig config) {
    GeneralConfig general = config.general();
    if (!"none".equals(general.bootstrapMethod())) {
      throw new LocalConfigException(
          "General.BootstrapMethod",
          "'"
              + general.bootstrapMethod()
              + "' is not supported; use 'none' and join channels"
              + " through the admin API");
    }
    TlsConfig tls = general.tls();
    if (!tls.enabled()) {
      throw new LocalConfigException(
          "General.TLS.Enabled", "TLS is required: the cluster service runs over TLS");
    }
    DataFolders.check(config);
    DataFolderLock dataLock =
        DataFolderLock.acquire(
            "FileLedger.Location",
            config.fileLedger().location(),
            "an Ordo orderer, listening on port " + general.listenPort());
    resources.push(dataLock);
    Ecdsa ecdsa = Ecdsa.preferred();
    LocalSigningIdentity signer = localIdentity(general, ecdsa);
    TlsIdentity generalTls =
        TlsFiles.identity(
            "General.TLS.PrivateKey",
            tls.privateKey(),
            "General.TLS.Certificate",
            tls.certificate());
    ClusterConfig cluster = general.cluster();
    boolean separateCluster = cluster.hasSeparateListener();
    TlsIdentity clusterServerTls =
        separateCluster
            ? TlsFiles.identity(
                "General.Cluster.ServerPrivateKey",
                cluster.serverPrivateKey(),
                "General.Cluster.ServerCertificate",
                cluster.serverCertificate())
            : generalTls;
    TlsIdentity clusterClientTls =
        cluster.clientCertificate().isPresent() || cluster.clientPrivateKey().isPresent()
            ? TlsFiles.identity(
                "General.Cluster.ClientPrivateKey",
                cluster.clientPrivateKey(),
                "General.Cluster.ClientCertificate",
                cluster.clientCertificate())
            : generalTls;
    List<X509Certificate> clusterRoots =
        TlsFiles.certificates("General.Cluster.RootCAs", cluster.rootCas());
    List<X509Certificate> staticClientRoots = new ArrayList<>(clusterRoots);
    staticClientRoots.addAll(
        TlsFiles.certificates("General.TLS.ClientRootCAs", tls.clientRootCas()));
    List<X509Certificate> staticServerRoots = new ArrayList<>(clusterRoots);
    staticServerRoots.addAll(TlsFiles.certificates("General.TLS.RootCAs", tls.rootCas()));
    ClusterTrust trust = new ClusterTrust(staticClientRoots, staticServerRoots);
    RotatingKeyManager generalKeys = new RotatingKeyManager(generalTls);
    RotatingKeyManager clusterKeys =
        separateCluster ? new RotatingKeyManager(clusterServerTls) : generalKeys;
    AtomicReference<ClusterClient> madeClient = new AtomicReference<>();

    NodeMetrics nodeMetrics =
        NodeMetrics.create(FABRIC_VERSION, MetricsOutputs.pushed(config.metrics()));
    resources.push(nodeMetrics);
    MeterRegistry metrics = nodeMetrics.registry();
    resources.push(LoggingMetrics.attach(metrics));
    ClusterMembership membership = new ClusterMembership();
    CommMetrics commMetrics = new CommMetrics(metrics);
    GrpcServerMetrics grpcMetrics = new GrpcServerMetrics(metrics);
    SecureRandom random = new SecureRandom();
    ChannelConfigLoader loader = new ChannelConfigLoader(ecdsa);
    PullerIdentity pullerIdentity = new PullerIdentity(clusterClientTls, signer, clusterRoots);
    PullerSettings pullerSettings = PullerSettings.from(cluster, general.maxRecvMsgSize());
    handOffOnStop = config.consensus().leadership().handOffOnStop();
    consenter =
        new EtcdRaftConsenter(
            config.consensus(),
            clusterServerTls.leaf(),
            membership,
            unreachable -> {
              ClusterClient client =
                  new ClusterClient(
                      membership,
                      clusterClientTls,
                      trust.serverRoots,
                      ClientOptions.from(config),
                      unreachable,
                      commMetrics);
              resources.push(client);
              madeClient.set(client);
              this.clusterClient = client;
              return client;
            },
            metrics,
            Optional.of(
                new OtherOrderersBlocks(
                    channel -> new BlockPuller(channel, pullerIdentity, pullerSettings, random),
                    loader,
                    OtherOrderersBlocks.DEFAULT_LEADERLESS_CHECK)));
    expiries =
        new CertificateExpiries(
            consenter::consenterSets,
            Optional.of(signer.identity().certificate()),
            new ExpiryThreshold(cluster.certExpirationWarningThreshold()),
            Clock.systemUTC(),
            metrics);
    ExpiryWarnings expiryWarnings = ExpiryWarnings.start(expiries);
    resources.push(expiryWarnings);
    consenter.onConsentersChanged(expiryWarnings::changed);
    consenter.certificateLifetimes(expiries);
    TlsReloader tlsReloader =
        tlsReloader(general, generalKeys, clusterKeys, madeClient.get(), consenter);
    registrar =
        new Registrar(
            config.fileLedger().location(),
            consenter,
            new ChannelResources(
                loader,
                signer,
                random,
                Clock.systemUTC(),
                general.authentication().noExpirationChecks()),
            configs -> {
              trust.update(configs);
              tlsReloader.reload(configs);
            },
            Optional.of(
                channel -> new BlockPuller(channel, pullerIdentity, pullerSettings, random)),
            cluster.replicationRetryTimeout(),
            Map.of("wal", config.consensus().walDir(), "snapshot", config.consensus().snapDir()),
            metrics);
    resources.push(consenter);
    resources.push(registrar);
    PruneConfig prune = config.fileLedger().prune();
    if (prune.enabled()) {
      registrar.pruning(prune.keepBlocks(), prune.blockFileBytes());
    }
    registrar.initialize();
    if (prune.enabled()) {
      LedgerPruning pruning =
          new LedgerPruning(prune.keepBlocks(), prune.interval(), registrar::pruneTargets, metrics);
      resources.push(pruning);
      pruning.start();
    }

    broadcast =
        new BroadcastHandler(
            registrar.forBroadcast(),
            BroadcastOptions.defaults(),
            new BroadcastMetrics(metrics),
            Throttling.of(
                general.throttling().rate(), general.throttling().inactivityTimeout(), metrics));
    resources.push(broadcast);
    DeliverHandler deliver =
        new DeliverHandler(
            registrar.forDeliver(),
            new DeliverOptions(
                general.authentication().timeWindow(),
                tls.clientAuthRequired(),
                general.authentication().noExpirationChecks(),
                Clock.systemUTC()),
            new DeliverMetrics(metrics));
    resources.push(deliver);

    generalServer =
        startGeneral(
            general,
            generalKeys,
            trust,
            new AtomicBroadcastService(broadcast, deliver::handle),
            separateCluster ? null : ClusterServer.service(membership, consenter, commMetrics),
            grpcMetrics);
    resources.push(() -> stopGrpc(generalServer));
    if (separateCluster) {
      clusterServer =
          listening(
              "General.Cluster.ListenAddress/ListenPort",
              () ->
                  ClusterServer.start(
                      new InetSocketAddress(
                          cluster.listenAddress().orElse(general.listenAddress()),
                          cluster.listenPort()),
                      clusterKeys,
                      trust.clientRoots,
                      membership,
                      consenter,
                      general.maxRecvMsgSize(),
                      general.maxSendMsgSize(),
                      general.keepalive().serverMinInterval(),
                      commMetrics,
                      grpcMetrics));
      resources.push(clusterServer);
    }
    madeClient.get().listening();
    adminServer = startAdmin(config);
    resources.push(adminServer);
    operationsServer = startOperations(config, nodeMetrics);
    if (operationsServer != null) {
      resources.push(operationsServer);
    }
    log.info(
        "orderer started: client port {}, cluster port {}, admin {}, channels {}",
        port(),
        clusterPort(),
        adminServer.address(),
        registrar.configs().keySet());
  }

  /**
   * The TLS identities that rotate when their files change and a config names the new certificate:
   * the general listener's, the cluster listener's (also this node's identity among consenters) and
   * the cluster client's.
   */
  private static TlsReloader tlsReloader(
      GeneralConfig general,
      RotatingKeyManager generalKeys,
      RotatingKeyManager clusterKeys,
      ClusterClient client,
      EtcdRaftConsenter consenter) {
    TlsConfig tls = general.tls();
    ClusterConfig cluster = general.cluster();
    boolean separateCluster = cluster.hasSeparateListener();
    boolean separateClient =
        cluster.clientCertificate().isPresent() || cluster.clientPrivateKey().isPresent();
    AtomicReference<TlsIdentity> clientIdentity =
        new AtomicReference<>(separateClient ? null : generalKeys.current());
    List<TlsReloader.Slot> slots = new ArrayList<>();
    slots.add(
        new TlsReloader.Slot(
            "General.TLS.PrivateKey",
            tls.privateKey(),
            "General.TLS.Certificate",
            tls.certificate(),
            generalKeys::current,
            next -> {
              generalKeys.replace(next);
              if (!separateCluster) {
                consenter.selfCertificate(next.leaf());
              }
              if (!separateClient) {
                client.replaceIdentity(next);
              }
            }));
    if (separateCluster) {
      slots.add(
          new TlsReloader.Slot(
              "General.Cluster.ServerPrivateKey",
              cluster.serverPrivateKey(),
              "General.Cluster.ServerCertificate",
              cluster.serverCertificate(),
              clusterKeys::current,
              next -> {
                clusterKeys.replace(next);
                consenter.selfCertificate(next.leaf());
              }));
    }
    if (separateClient) {
      clientIdentity.set(
          TlsFiles.identity(
              "General.Cluster.ClientPrivateKey",
              cluster.clientPrivateKey(),
              "General.Cluster.ClientCertificate",
              cluster.clientCertificate()));
      slots.add(
          new TlsReloader.Slot(
              "General.Cluster.ClientPrivateKey",
              cluster.clientPrivateKey(),
              "General.Cluster.ClientCertificate",
              cluster.clientCertificate(),
              clientIdentity::get,
              next -> {
                clientIdentity.set(next);
                client.replaceIdentity(next);
              }));
    }
    return new TlsReloader(slots);
  }

  private static LocalSigningIdentity localIdentity(GeneralConfig general, Ecdsa ecdsa) {
    try {
      return LocalSigningIdentity.load(general.localMspDir(), general.localMspId(), ecdsa);
    } catch (RuntimeException e) {
      throw new LocalConfigException(
          "General.LocalMSPDir",
          "cannot load the signing identity of "
              + general.localMspId()
              + " from "
              + general.localMspDir()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static Server startGeneral(
      GeneralConfig general,
      RotatingKeyManager identity,
      ClusterTrust trust,
      AtomicBroadcastService atomicBroadcast,
      io.grpc.ServerServiceDefinition clusterService,
      GrpcServerMetrics grpcMetrics) {
    ClientAuth clientAuth =
        general.tls().clientAuthRequired()
            ? ClientAuth.REQUIRE
            : clusterService != null ? ClientAuth.OPTIONAL : ClientAuth.NONE;
    InetSocketAddress address =
        new InetSocketAddress(general.listenAddress(), general.listenPort());
    NettyServerBuilder b =
        NettyServerBuilder.forAddress(address)
            .sslContext(ClusterServer.serverTls(identity, trust.clientRoots, clientAuth))
            .maxInboundMessageSize(general.maxRecvMsgSize())
            .intercept(new MaxSendMessageSize(general.maxSendMsgSize()))
            .permitKeepAliveTime(
                general.keepalive().serverMinInterval().toMillis(), TimeUnit.MILLISECONDS)
            .permitKeepAliveWithoutCalls(true)
            .keepAliveTime(general.keepalive().serverInterval().toMillis(), TimeUnit.MILLISECONDS)
            .keepAliveTimeout(general.keepalive().serverTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .addService(atomicBroadcast.definition())
            .callExecutor(OrdererServer::callExecutor);
    if (clusterService != null) {
      b.addService(clusterService);
    }
    Server server = grpcMetrics.instrument(b).build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "General.ListenAddress/ListenPort: cannot listen on " + address + ": " + e.getMessage(),
          e);
    }
    return server;
  }

  /**
   * Broadcast's handlers never block (they hand each envelope to the validation pool), so they run
   * on the connection's event loop instead of hopping to gRPC's executor for every envelope; every
   * other call keeps the default executor (null).
   */
  private static java.util.concurrent.Executor callExecutor(
      io.grpc.ServerCall<?, ?> call, io.grpc.Metadata headers) {
    return AtomicBroadcastGrpc.getBroadcastMethod()
            .getFullMethodName()
            .equals(call.getMethodDescriptor().getFullMethodName())
        ? Runnable::run
        : null;
  }

  /**
   * Starts a listener; one that cannot listen (the port taken, the address not this host's) stops
   * the start naming the orderer.yaml keys of its address, as the general listener does.
   */
  private static <T> T listening(String keys, java.util.function.Supplier<T> start) {
    try {
      return start.get();
    } catch (UncheckedIOException e) {
      throw new LocalConfigException(keys, OrdererMain.oneLine(e), e);
    }
  }

  private AdminServer startAdmin(LocalConfig config) {
    TlsConfig tls = config.admin().tls();
    if (!tls.enabled() || !tls.clientAuthRequired()) {
      throw new LocalConfigException(
          "Admin.TLS", "the admin listener needs TLS with ClientAuthRequired: true");
    }
    TlsIdentity identity =
        TlsFiles.identity(
            "Admin.TLS.PrivateKey", tls.privateKey(), "Admin.TLS.Certificate", tls.certificate());
    SSLContext ctx =
        ServerTls.context(
            identity.privateKey(),
            identity.chain(),
            TlsFiles.certificates("Admin.TLS.ClientRootCAs", tls.clientRootCas()));
    return listening(
        "Admin.ListenAddress",
        () ->
            AdminServer.start(
                address("Admin.ListenAddress", config.admin().listenAddress()),
                ctx,
                new ParticipationApi(
                    registrar,
                    config.channelParticipation().maxRequestBodySize(),
                    List.of(new CertificateDetail(expiries), new LedgerDetail(registrar))),
                new LeadershipApi(new ConsenterLeadership(consenter, registrar))));
  }

  private OperationsServer startOperations(LocalConfig config, NodeMetrics metrics) {
    String listen = config.operations().listenAddress();
    if (listen == null || listen.isBlank()) {
      return null;
    }
    TlsConfig tls = config.operations().tls();
    Optional<SSLContext> ctx = Optional.empty();
    if (tls.enabled()) {
      TlsIdentity identity =
          TlsFiles.identity(
              "Operations.TLS.PrivateKey",
              tls.privateKey(),
              "Operations.TLS.Certificate",
              tls.certificate());
      ctx =
          Optional.of(
              ServerTls.context(
                  identity.privateKey(),
                  identity.chain(),
                  TlsFiles.certificates("Operations.TLS.ClientRootCAs", tls.clientRootCas())));
    }
    Optional<SSLContext> opsTls = ctx;
    OperationsServer ops =
        listening(
            "Operations.ListenAddress",
            () ->
                OperationsServer.start(
                    new OperationsServer.Options(
                        address("Operations.ListenAddress", listen),
                        opsTls,
                        tls.enabled() && tls.clientAuthRequired(),
                        BuildInfo.current(),
                        Clock.systemUTC()),
                    MetricsOutputs.scraped(config.metrics())
                        ? Optional.of(metrics)
                        : Optional.empty(),
                    Optional.ofNullable(System.getenv("FABRIC_LOGGING_SPEC")).orElse("info")));
    ops.registerChecker("certificates", expiries);
    ops.registerChecker(
        "channels",
        () -> {
          List<String> problems = new ArrayList<>();
          registrar
              .unavailableChannels()
              .forEach(
                  (channel, why) -> problems.add("channel " + channel + " unavailable: " + why));
          registrar
              .rebuildingChannels()
              .forEach(
                  (channel, why) ->
                      problems.add(
                          "channel "
                              + channel
                              + " is being rebuilt from the other orderers after damage: "
                              + why));
          long halted =
              registrar.configs().keySet().stream()
                  .filter(ch -> registrar.support(ch).map(s -> s.errored().isDone()).orElse(false))
                  .count();
          if (halted > 0) {
            problems.add(halted + " channel(s) without a leader or halted");
          }
          return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
        });
    return ops;
  }

  /** "host:port" as orderer.yaml writes listener addresses. */
  static InetSocketAddress address(String key, String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0) {
      throw new LocalConfigException(key, "'" + hostPort + "' is not host:port");
    }
    try {
      return new InetSocketAddress(
          hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw new LocalConfigException(key, "'" + hostPort + "' is not host:port", e);
    }
  }

  private static void stopGrpc(Server server) throws InterruptedException {
    if (server != null) {
      server.shutdown();
      if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  /** The port of the general listener (AtomicBroadcast). */
  public int port() {
    return ((InetSocketAddress) generalServer.getListenSockets().getFirst()).getPort();
  }

  /** The port of the cluster service: the separate listener's, else the general one. */
  public int clusterPort() {
    return clusterServer != null ? clusterServer.port() : port();
  }

  public InetSocketAddress adminAddress() {
    return adminServer.address();
  }

  public Optional<InetSocketAddress> operationsAddress() {
    return Optional.ofNullable(operationsServer).map(OperationsServer::address);
  }

  public Registrar registrar() {
    return registrar;
  }

  /** When the certificates of this node's channels' consenters and its own expire. */
  public CertificateExpiries certificateExpiries() {
    return expiries;
  }

  /** The raft leader this node knows on {@code channel}, 0 for none. */
  public long leaderOf(String channel) {
    return consenter == null ? 0 : consenter.leaderOf(channel);
  }

  /** The consenters of {@code channel} this node last learnt to be alive. */
  public List<Long> activeNodesOf(String channel) {
    return consenter == null ? List.of() : consenter.activeNodesOf(channel);
  }

  /** Waits until {@link #close()} has finished. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  /**
   * How long a stopping node may spend handing over its leaderships and answering what its clients
   * sent: a few elections' worth, so that a stuck channel cannot hold a SIGTERM up for long.
   */
  static final Duration HAND_OFF_BOUND = Duration.ofSeconds(10);

  /**
   * Stops the node without leaving a gap behind it (SIGTERM): Broadcast takes no new envelopes and
   * ends each stream once what it handed to a chain is answered; every channel this node leads is
   * handed to its most caught-up follower; then everything stops as {@link #close} does. Bounded by
   * {@link #HAND_OFF_BOUND}. With Consensus.HandOffOnStop off, only the last.
   */
  public void shutDown() {
    // the other nodes may be stopping too: streams that break during the hand-off are no warning
    ClusterClient client = clusterClient;
    if (client != null) {
      client.stopping();
    }
    if (broadcast != null && consenter != null && handOffOnStop) {
      long start = System.nanoTime();
      log.info("stopping: handing over leaderships and answering the envelopes clients sent");
      broadcast.drain();
      List<String> notHandedOff = consenter.handOffLeadership(HAND_OFF_BOUND);
      Duration left = HAND_OFF_BOUND.minusNanos(System.nanoTime() - start);
      boolean drained = broadcast.awaitDrained(left.isNegative() ? Duration.ZERO : left);
      log.info(
          "handed over in {} ms{}{}",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
          notHandedOff.isEmpty() ? "" : "; still led or waiting for blocks: " + notHandedOff,
          drained ? "" : "; some Broadcast streams still had envelopes unanswered");
    }
    close();
  }

  /**
   * Stops listeners first (no new work), then halts chains and closes ledgers and WALs, then the
   * cluster client; idempotent.
   */
  @Override
  public synchronized void close() {
    // other nodes may be stopping too: the streams that break from now on are no warning
    ClusterClient client = clusterClient;
    if (client != null) {
      client.stopping();
    }
    // the stack holds resources in reverse start order: listeners come off first
    while (!resources.isEmpty()) {
      AutoCloseable r = resources.pop();
      try {
        r.close();
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        log.warn("stopping {} failed: {}", r, e.toString());
      }
    }
    stopped.countDown();
  }
}

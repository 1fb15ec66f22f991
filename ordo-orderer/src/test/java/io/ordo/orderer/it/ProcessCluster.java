package io.ordo.orderer.it;

import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A cluster of orderer processes on loopback: the files of {@link ClusterFiles} under a data
 * folder, one {@link NodeProcess} per node with its output in {@code <logs>/node<i>.log}. Nodes are
 * started, joined to {@link ClusterFiles#CHANNEL} through the admin API (mutual TLS), stopped with
 * SIGTERM, killed with SIGKILL and restarted on the same ports and folders. {@link #close()} kills
 * whatever still runs; a shutdown hook does the same if the test JVM ends first.
 */
final class ProcessCluster implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(40);

  /**
   * One admin or operations request. Generous: on a two-core CI machine three freshly started node
   * JVMs and the test share the cores, and an admin request once took over 5 s there.
   */
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(15);

  private static final Pattern HEIGHT = Pattern.compile("\"height\":(\\d+)");

  final ClusterFiles files;
  final TlsClients tls;
  private final Map<Integer, NodeProcess> nodes = new ConcurrentHashMap<>();
  private final Map<Integer, ManagedChannel> clientChannels = new ConcurrentHashMap<>();
  private final List<ManagedChannel> otherChannels = new ArrayList<>();
  private final HttpClient admin;
  private final HttpClient operations;
  private final Thread killOnExit;

  ProcessCluster(Path dataDir, Path logDir, ClusterSettings settings) {
    this(dataDir, logDir, settings, Map.of());
  }

  /** A cluster whose given nodes' TLS certificates expire at the given times. */
  ProcessCluster(
      Path dataDir, Path logDir, ClusterSettings settings, Map<Integer, Instant> tlsNotAfter) {
    this.files = new ClusterFiles(dataDir, settings, tlsNotAfter);
    deleteLogs(logDir);
    this.tls = new TlsClients(files.tlsCaCert());
    for (int i = 1; i <= settings.size(); i++) {
      nodes.put(i, new NodeProcess(i, files.ordererYaml(i), logDir.resolve("node" + i + ".log")));
    }
    this.admin =
        tls.https(Optional.of(TlsClients.ClientCert.in(files.ordererAdminTls(), "client")));
    this.operations = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();
    this.killOnExit = new Thread(() -> nodes.values().forEach(NodeProcess::destroy));
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /** The place under target/ where a test class's node logs go, one folder per test. */
  static Path logDir(Class<?> testClass, String test) {
    return Path.of("target", "process-logs", testClass.getSimpleName(), test).toAbsolutePath();
  }

  private static void deleteLogs(Path logDir) {
    try (var files = Files.list(logDir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
        Files.delete(f);
      }
    } catch (NoSuchFileException e) {
      // a first run: nothing to delete
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear the logs of an earlier run in " + logDir, e);
    }
  }

  int size() {
    return files.settings.size();
  }

  List<Integer> ids() {
    return IntStream.rangeClosed(1, size()).boxed().toList();
  }

  /** The nodes that the genesis block names as consenters. */
  List<Integer> genesisConsenters() {
    return IntStream.rangeClosed(1, files.settings.genesisConsenters()).boxed().toList();
  }

  List<Integer> running() {
    return ids().stream().filter(i -> nodes.get(i).isAlive()).toList();
  }

  /** A running node's process id. */
  OptionalLong pid(int node) {
    return nodes.get(node).pid();
  }

  /** The process ids of the running nodes. */
  List<Long> pids() {
    return running().stream()
        .map(i -> nodes.get(i).pid())
        .filter(OptionalLong::isPresent)
        .map(OptionalLong::getAsLong)
        .toList();
  }

  NodePorts ports(int node) {
    return files.ports(node);
  }

  /**
   * Starts the genesis block's consenters (in parallel) and waits until each answers on its
   * operations listener.
   */
  void startAll() {
    start(genesisConsenters());
  }

  /** Starts the given nodes in parallel and waits until each answers. */
  void start(List<Integer> which) {
    which.forEach(this::closeClientChannel);
    which.forEach(i -> nodes.get(i).start());
    which.forEach(this::awaitHealthy);
    which.forEach(this::reconnectNow);
  }

  /** Starts (or restarts) one node on its ports and folders and waits until it serves. */
  void start(int node) {
    closeClientChannel(node);
    nodes.get(node).start();
    awaitHealthy(node);
    reconnectNow(node);
  }

  /**
   * A client channel opened while the node was still starting (a load keeps dialling running
   * processes) has been failing and backing off, gRPC's backoff growing towards two minutes: once
   * the node serves, it dials at once instead of after its backoff.
   */
  private void reconnectNow(int node) {
    ManagedChannel ch = clientChannels.get(node);
    if (ch != null) {
      ch.resetConnectBackoff();
    }
  }

  /**
   * Starts (or restarts) one node and waits until its operations listener answers, healthy or not:
   * for a node that is to rebuild or report a damaged channel, whose {@code /healthz} says 503.
   */
  void startAnswering(int node) {
    closeClientChannel(node);
    nodes.get(node).start();
    awaitAnswer(node, false);
    reconnectNow(node);
  }

  /** SIGTERM: the node halts its chains and closes its stores; fails unless it ends cleanly. */
  void stop(int node) {
    closeClientChannel(node);
    nodes.get(node).stop();
  }

  /** SIGTERM to every running node at once, then waits for each to end cleanly. */
  void stopAll() {
    List<Integer> up = running();
    up.forEach(this::closeClientChannel);
    up.forEach(i -> nodes.get(i).signalStop());
    up.forEach(this::stop);
  }

  /** SIGKILL. */
  void kill(int node) {
    nodes.get(node).kill();
    closeClientChannel(node);
  }

  private void awaitHealthy(int node) {
    awaitAnswer(node, true);
  }

  /** Waits until the node's /healthz answers 200, or answers at all when not {@code healthy}. */
  private void awaitAnswer(int node, boolean healthy) {
    NodeProcess p = nodes.get(node);
    try {
      await()
          .atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                if (!p.isAlive()) {
                  throw new IllegalStateException(
                      "node " + node + " exited during start-up:\n" + logTail(node));
                }
                return get(operations, "http://127.0.0.1:" + ports(node).operations() + "/healthz")
                    .map(r -> !healthy || r.statusCode() == 200)
                    .orElse(false);
              });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(
          "node " + node + " did not serve within " + START_TIMEOUT + ":\n" + logTail(node), e);
    }
  }

  /** Joins the genesis block's consenters to the channel with it; each must answer 201. */
  void joinAll() {
    for (int i : genesisConsenters()) {
      HttpResponse<String> r = join(i, JoinRequest.of(files.genesis.toByteArray()));
      if (r.statusCode() != 201) {
        throw new IllegalStateException(
            "join of node " + i + " answered " + r.statusCode() + " " + r.body());
      }
    }
  }

  HttpResponse<String> join(int node, JoinRequest request) {
    return send(
        HttpRequest.newBuilder(adminUri(node, "/participation/v1/channels"))
            .timeout(HTTP_TIMEOUT)
            .header("Content-Type", request.contentType())
            .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()))
            .build());
  }

  /** The channel as a node's admin API lists it (JSON); empty when the node does not answer. */
  Optional<String> channelInfo(int node) {
    try {
      HttpResponse<String> r =
          admin.send(
              HttpRequest.newBuilder(
                      adminUri(node, "/participation/v1/channels/" + ClusterFiles.CHANNEL))
                  .timeout(HTTP_TIMEOUT)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  URI adminUri(int node, String path) {
    return URI.create("https://127.0.0.1:" + ports(node).admin() + path);
  }

  /** The channel's height on a node, from its admin API; empty when the node does not answer. */
  OptionalLong height(int node) {
    try {
      HttpResponse<String> r =
          admin.send(
              HttpRequest.newBuilder(
                      adminUri(node, "/participation/v1/channels/" + ClusterFiles.CHANNEL))
                  .timeout(HTTP_TIMEOUT)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Matcher m = HEIGHT.matcher(r.body());
      return r.statusCode() == 200 && m.find()
          ? OptionalLong.of(Long.parseLong(m.group(1)))
          : OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalLong.empty();
    }
  }

  /**
   * Whether a node leads the channel: its {@code consensus_etcdraft_is_leader} gauge; empty when
   * the node does not answer or has no such gauge.
   */
  Optional<Boolean> isLeader(int node) {
    return get(operations, "http://127.0.0.1:" + ports(node).operations() + "/metrics")
        .filter(r -> r.statusCode() == 200)
        .flatMap(
            r ->
                r.body()
                    .lines()
                    .filter(l -> l.startsWith("consensus_etcdraft_is_leader{"))
                    .filter(l -> l.contains("channel=\"" + ClusterFiles.CHANNEL + "\""))
                    .findFirst())
        .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) == 1.0);
  }

  /** A node's {@code /metrics} text; empty when the node does not answer. */
  Optional<String> metrics(int node) {
    return get(operations, "http://127.0.0.1:" + ports(node).operations() + "/metrics")
        .filter(r -> r.statusCode() == 200)
        .map(HttpResponse::body);
  }

  /** A node's {@code /healthz} answer; empty when the node does not answer. */
  Optional<HttpResponse<String>> healthz(int node) {
    return get(operations, "http://127.0.0.1:" + ports(node).operations() + "/healthz");
  }

  /** The running node that says it leads, if exactly one does. */
  OptionalInt leader() {
    List<Integer> leaders = running().stream().filter(i -> isLeader(i).orElse(false)).toList();
    return leaders.size() == 1 ? OptionalInt.of(leaders.getFirst()) : OptionalInt.empty();
  }

  /** Waits until one running node leads; returns it. */
  int awaitLeader(Duration atMost) {
    return await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(25))
        .until(this::leader, OptionalInt::isPresent)
        .getAsInt();
  }

  /**
   * Waits until the nodes report the same height and keep it for {@code quiet} (so that nothing is
   * still being cut or committed); returns that height.
   */
  long awaitSameHeight(List<Integer> among, Duration quiet, Duration atMost) {
    return await()
        .atMost(atMost)
        .during(quiet)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                among.stream()
                    .map(this::height)
                    .map(h -> h.isPresent() ? h.getAsLong() : -1L)
                    .collect(Collectors.toSet()),
            heights -> heights.size() == 1 && !heights.contains(-1L))
        .iterator()
        .next();
  }

  /**
   * A TLS gRPC channel to a node's client listener, kept until the node stops or the cluster
   * closes.
   */
  ManagedChannel client(int node) {
    return clientChannels.computeIfAbsent(
        node, n -> tls.grpc(ports(n).general(), Optional.empty(), 64 * 1024 * 1024));
  }

  /** A gRPC channel to any port, closed with the cluster. */
  synchronized ManagedChannel channel(int port, Optional<TlsClients.ClientCert> cert) {
    ManagedChannel ch = tls.grpc(port, cert, 64 * 1024 * 1024);
    otherChannels.add(ch);
    return ch;
  }

  private void closeClientChannel(int node) {
    ManagedChannel ch = clientChannels.remove(node);
    if (ch != null) {
      ch.shutdownNow();
    }
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return admin.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("admin request " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + request.uri(), e);
    }
  }

  private static Optional<HttpResponse<String>> get(HttpClient client, String uri) {
    try {
      return Optional.of(
          client.send(
              HttpRequest.newBuilder(URI.create(uri)).timeout(HTTP_TIMEOUT).build(),
              HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** How many bytes a node's log holds now: a mark for {@link #logSince}. */
  long logSize(int node) {
    try {
      return Files.size(nodes.get(node).log());
    } catch (IOException e) {
      return 0;
    }
  }

  /** What a node logged after {@code mark} (a {@link #logSize}). */
  String logSince(int node, long mark) {
    try {
      byte[] all = Files.readAllBytes(nodes.get(node).log());
      int from = (int) Math.min(mark, all.length);
      return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The last lines of a node's log, for failure messages. */
  String logTail(int node) {
    Path log = nodes.get(node).log();
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()))
          + "\n(whole log: "
          + log
          + ")";
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  @Override
  public void close() {
    clientChannels.values().forEach(ManagedChannel::shutdownNow);
    synchronized (this) {
      otherChannels.forEach(ManagedChannel::shutdownNow);
    }
    nodes.values().forEach(NodeProcess::destroy);
    admin.close();
    operations.close();
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook runs anyway
    }
  }
}

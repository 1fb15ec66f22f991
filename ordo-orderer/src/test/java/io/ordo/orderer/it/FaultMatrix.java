package io.ordo.orderer.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * One cluster of three orderer processes on which the faults of a test class are done one after the
 * other, each a {@link FaultScenario} under its own load. What the loads sent and what was answered
 * SUCCESS is kept across scenarios: every scenario's audit checks the whole chain against
 * everything acknowledged since the cluster started, so that a later fault cannot lose what an
 * earlier scenario already checked.
 */
final class FaultMatrix implements AutoCloseable {
  static final Duration AWAIT = Duration.ofSeconds(60);

  /**
   * The resident memory a node may use: its heap is capped at 256 MiB ({@link NodeProcess}), and
   * the JVM adds its metaspace (about 60 MiB for Ordo's classes and grpc-java's), the client
   * compiler's code cache, thread stacks, and Netty's pooled direct buffers (grpc-java's allocator:
   * up to a 4 MiB chunk per arena, two arenas per core). Measured on two cores under the load of
   * these tests: 300 to 400 MiB. Twice the heap leaves room for the direct buffers of a burst of
   * malformed or oversized requests, and a node that grows past it leaks.
   */
  static final long RSS_BOUND_KIB = 512 * 1024;

  final String test;
  final ProcessCluster cluster;
  final SignedRequests requests;
  final Random random;
  private final Map<Integer, SilentProxy> proxies = new TreeMap<>();
  private final Set<String> sent = new HashSet<>();
  private final Set<String> accepted = new HashSet<>();

  FaultMatrix(Path dir, Class<?> testClass, String test, ClusterSettings settings) {
    this.test = test;
    this.random = TestSeed.forTest(test).random();
    this.cluster = new ProcessCluster(dir, ProcessCluster.logDir(testClass, test), settings);
    this.requests = new SignedRequests(cluster.files.member());
    if (settings.proxiedCluster()) {
      for (int node : cluster.ids()) {
        NodePorts p = cluster.ports(node);
        proxies.put(node, new SilentProxy(p.consenter(), p.cluster(), cluster::pids));
      }
    }
  }

  /** Starts and joins the nodes and waits for a leader; returns it. */
  int start() {
    cluster.startAll();
    cluster.joinAll();
    return cluster.awaitLeader(AWAIT);
  }

  /** The proxy in front of a node's cluster port (clusters made with proxies only). */
  SilentProxy proxy(int node) {
    SilentProxy p = proxies.get(node);
    if (p == null) {
      throw new IllegalStateException("the cluster of " + test + " has no proxies");
    }
    return p;
  }

  /** Starts a scenario: its load runs until some of it is answered SUCCESS. */
  FaultScenario scenario(String name) {
    return new FaultScenario(this, name);
  }

  /** The leader now, waiting for one if need be. */
  int leader() {
    return cluster.awaitLeader(AWAIT);
  }

  /** A running node that does not lead. */
  int follower() {
    int leader = leader();
    List<Integer> others = cluster.running().stream().filter(n -> n != leader).toList();
    return others.get(random.nextInt(others.size()));
  }

  /** What a finished scenario's load sent and had answered SUCCESS, for the later audits. */
  void record(BroadcastLoad load) {
    sent.addAll(load.sent());
    accepted.addAll(load.accepted());
  }

  Set<String> sent() {
    return Set.copyOf(sent);
  }

  Set<String> accepted() {
    return Set.copyOf(accepted);
  }

  @Override
  public void close() {
    proxies.values().forEach(SilentProxy::close);
    cluster.close();
  }
}

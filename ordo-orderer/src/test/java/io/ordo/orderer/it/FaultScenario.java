package io.ordo.orderer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.awaitility.core.ConditionTimeoutException;
import org.hyperledger.fabric.protos.common.Block;

/**
 * One fault under load on a {@link FaultMatrix}, and its outcome. It starts its own load (ids
 * prefixed with the scenario's name), marks the nodes' logs, does the fault, measures the time to
 * the next block ordered by the cluster and to the faulted nodes serving again, and {@link #finish
 * finishes} with the audit every scenario must pass:
 *
 * <ul>
 *   <li>no envelope answered SUCCESS (in this scenario or an earlier one) is missing from the final
 *       chain, none is in it twice, and every envelope in it was sent;
 *   <li>every node holds the same hash-chained, signed chain, block for block;
 *   <li>every node serves the channel (participation API {@code active}, {@code /healthz} 200);
 *   <li>no node logged a stack frame or an exception's name since the fault ({@link LogScan});
 *   <li>every node's resident memory is within {@link FaultMatrix#RSS_BOUND_KIB}.
 * </ul>
 */
final class FaultScenario {
  /** Envelopes answered SUCCESS before a fault, and again after the recovery. */
  private static final int STEP = 100;

  private static final Duration QUIET = Duration.ofSeconds(1);

  private final FaultMatrix matrix;
  private final ProcessCluster cluster;
  private final String name;
  private final BroadcastLoad load;
  private final Map<Integer, Long> logMarks = new TreeMap<>();
  private final Set<String> statusesSeen = new LinkedHashSet<>();
  private long faultAt;
  private long heightAtFault;
  private Duration toBlock;
  private Duration toServing;
  private long healedAt;
  private String fault = "";

  FaultScenario(FaultMatrix matrix, String name) {
    this.matrix = matrix;
    this.cluster = matrix.cluster;
    this.name = name;
    this.load =
        new BroadcastLoad(
            cluster, matrix.requests, name + "-", 4, 3, Duration.ofMillis(50), 50, matrix.random);
    load.start();
    load.awaitAcceptedAtLeast(STEP);
  }

  String name() {
    return name;
  }

  /**
   * Does the fault: marks every log and the cluster's height first, so that the times measured
   * start when {@code act} starts.
   */
  void fault(String what, Runnable act) {
    this.fault = what;
    cluster.ids().forEach(n -> logMarks.put(n, cluster.logSize(n)));
    heightAtFault = maxHeight();
    faultAt = System.nanoTime();
    act.run();
    System.out.printf("%s: %s: %s at height %d%n", matrix.test, name, what, heightAtFault);
  }

  /**
   * Marks the end of the fault (the restart of a killed or damaged node, a partition healed, a disk
   * freed): the outcome also gives the time from here to the nodes serving again.
   */
  void healed(String how) {
    healedAt = System.nanoTime();
    System.out.printf(
        "%s: %s: %s %d ms after the fault%n", matrix.test, name, how, sinceFault().toMillis());
  }

  /** Lets a lasting fault go on until {@code length} has passed since it was done. */
  void lastFor(Duration length) {
    Duration left = length.minus(sinceFault());
    if (left.isPositive()) {
      await().pollDelay(left).atMost(left.plusSeconds(1)).until(() -> true);
    }
  }

  /** The time since the fault. */
  Duration sinceFault() {
    return Duration.ofNanos(System.nanoTime() - faultAt);
  }

  /**
   * Waits until an envelope sent after the fault is answered SUCCESS, so is in a block; the time
   * from the fault to that answer. (A block number alone would count blocks already committed
   * before the fault and written just after it.)
   */
  Duration awaitNextBlock() {
    try {
      toBlock =
          Duration.ofNanos(
              await()
                      .atMost(FaultMatrix.AWAIT)
                      .pollInterval(Duration.ofMillis(20))
                      .until(() -> load.firstAcceptedSentAfter(faultAt), OptionalLong::isPresent)
                      .getAsLong()
                  - faultAt);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          name + ": no block ordered within " + FaultMatrix.AWAIT + " of the fault; " + states(),
          e);
    }
    System.out.printf(
        "%s: %s: next block ordered %d ms after the fault%n",
        matrix.test, name, toBlock.toMillis());
    return toBlock;
  }

  /**
   * Waits until each of {@code nodes} serves the channel again and holds at least {@code height}
   * blocks; the time from the fault. The statuses they pass through are kept for the outcome.
   */
  Duration awaitServing(List<Integer> nodes, long height) {
    try {
      await()
          .atMost(FaultMatrix.AWAIT)
          .pollInterval(Duration.ofMillis(50))
          .until(
              () ->
                  nodes.stream()
                      .map(n -> NodeState.of(cluster, n))
                      .peek(s -> statusesSeen.add(s.status()))
                      .allMatch(s -> s.serving() && s.height() >= height));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          name + ": nodes " + nodes + " not serving at height " + height + "; " + states(), e);
    }
    toServing = sinceFault();
    System.out.printf(
        "%s: %s: nodes %s serving again %d ms after the fault (statuses seen %s)%n",
        matrix.test, name, nodes, toServing.toMillis(), statusesSeen);
    return toServing;
  }

  /** Waits until {@code nodes} serve and hold every block the cluster had when this was called. */
  Duration awaitServing(List<Integer> nodes) {
    return awaitServing(nodes, Math.max(maxHeight(), heightAtFault + 1));
  }

  /**
   * Waits until {@code node} does not serve the channel and says why (status and /healthz); its
   * state then.
   */
  NodeState awaitReportsWhyNot(int node) {
    try {
      return await()
          .atMost(FaultMatrix.AWAIT)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> NodeState.of(cluster, node), NodeState::reportsWhyNot);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          name + ": node " + node + " never said why it does not serve; " + states(), e);
    }
  }

  /** Runs the audit once the cluster has ordered more after the fault; the outcome. */
  FaultOutcome finish() {
    load.awaitAcceptedAtLeast(load.acceptedCount() + STEP);
    load.stop();
    matrix.record(load);
    List<Integer> all = cluster.ids();
    assertThat(cluster.running()).as("%s: running nodes", name).isEqualTo(all);
    try {
      cluster.awaitSameHeight(all, QUIET, FaultMatrix.AWAIT);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(name + ": heights do not converge; " + states(), e);
    }
    for (int n : all) {
      NodeState s = NodeState.of(cluster, n);
      assertThat(s.serving()).as("%s: %s", name, s).isTrue();
    }

    Map<Integer, List<Block>> chains = new TreeMap<>();
    for (int n : all) {
      chains.put(n, Chains.read(cluster, matrix.requests, n));
    }
    int first = all.getFirst();
    Chains.assertSameHeight(chains);
    for (var e : chains.entrySet()) {
      Chains.assertHashChained(e.getKey(), e.getValue());
      Chains.assertSigned(e.getKey(), e.getValue());
      Chains.assertSameAtEveryHeight(first, chains.get(first), e.getKey(), e.getValue());
    }
    List<String> ordered = Chains.ids(chains.get(first));
    Set<String> inChain = new HashSet<>(ordered);
    Set<String> missing = new HashSet<>(matrix.accepted());
    missing.removeAll(inChain);
    int duplicates = ordered.size() - inChain.size();
    Chains.assertNoDuplicates(ordered);
    Chains.assertAllSent(ordered, matrix.sent());
    assertThat(missing).as("%s: envelopes answered SUCCESS missing from the chain", name).isEmpty();

    List<String> suspect = new ArrayList<>();
    for (int n : all) {
      LogScan.suspectLines(cluster.logSince(n, logMarks.getOrDefault(n, 0L)), 20)
          .forEach(l -> suspect.add("node " + n + ": " + l));
    }
    assertThat(suspect).as("%s: stack traces or exceptions in the nodes' logs", name).isEmpty();

    long maxRss = 0;
    for (int n : all) {
      OptionalLong pid = cluster.pid(n);
      long rss = pid.isPresent() ? ResidentMemory.kib(pid.getAsLong()).orElse(0) : 0;
      assertThat(rss)
          .as("%s: VmRSS of node %d in KiB", name, n)
          .isLessThanOrEqualTo(FaultMatrix.RSS_BOUND_KIB);
      maxRss = Math.max(maxRss, rss);
    }
    Set<String> sent = load.sent();
    FaultOutcome outcome =
        new FaultOutcome(
            name,
            fault,
            Optional.ofNullable(toBlock),
            Optional.ofNullable(toServing),
            Optional.ofNullable(toServing)
                .filter(t -> healedAt != 0)
                .map(t -> t.minus(Duration.ofNanos(healedAt - faultAt))),
            sent.size(),
            load.acceptedCount(),
            load.refused().size(),
            load.unanswered().size(),
            (int) sent.stream().filter(inChain::contains).count(),
            missing.size(),
            duplicates,
            chains.get(first).size(),
            maxRss / 1024,
            List.copyOf(statusesSeen));
    outcome.print(matrix.test);
    return outcome;
  }

  /** Every node's state, for failure messages. */
  String states() {
    List<String> out = new ArrayList<>();
    for (int n : cluster.ids()) {
      out.add(
          cluster.running().contains(n)
              ? NodeState.of(cluster, n).toString()
              : "node " + n + ": down");
    }
    return String.join("; ", out) + "; load: " + load.describe();
  }

  /** The highest height a running node reports now. */
  long maxHeight() {
    long max = 0;
    for (int n : cluster.running()) {
      max = Math.max(max, cluster.height(n).orElse(0));
    }
    return max;
  }

  /** Stops the load without an audit: for a test that failed before {@link #finish}. */
  void abandon() {
    load.close();
  }
}

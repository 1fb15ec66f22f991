package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordo.fabric.block.BlockHashing;
import io.ordo.fabric.block.Blocks;
import io.ordo.orderer.admin.ChannelInfo;
import io.ordo.storage.ledger.BlockLedger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.etcdraft.BlockMetadata;
import org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consenters added and removed by config updates while clients keep broadcasting, on whole orderer
 * nodes in one JVM with TLS everywhere.
 *
 * <p>A consenter added at a block above 0 joins the channel through the participation API with the
 * config block that adds it: it onboards by pulling blocks 0..that block from the other orderers,
 * then starts raft as a joining member; raft brings it the rest.
 */
class MembershipChangeClusterTest {
  private static final Duration TICK = Duration.ofMillis(100);

  @TempDir Path dir;
  private TestNetwork network;
  private ClusterDriver driver;
  private final List<Integer> targets = new CopyOnWriteArrayList<>();
  private final Set<String> broadcastIds = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean loadOn = new AtomicBoolean();
  private final AtomicInteger refused = new AtomicInteger();
  private Thread load;

  @AfterEach
  void stop() throws InterruptedException {
    stopLoad();
    if (driver != null) {
      driver.close();
    }
    if (network != null) {
      network.close();
    }
  }

  @Test
  void growingToFiveThenShrinkingToThreeWithTheLeaderRemovedKeepsOneChainWithoutDuplicates()
      throws Exception {
    network = new TestNetwork(dir, 5, 3, TICK, Duration.ofMillis(200), 10);
    for (int i = 1; i <= 3; i++) {
      network.start(i);
      HttpResponse<String> r = network.join(i);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
    driver = new ClusterDriver(network);
    driver.awaitLeaderEverywhere();
    targets.addAll(List.of(1, 2, 3));
    startLoad();
    awaitMoreTransactions(1, 50);

    // 3 -> 4 -> 5
    for (int added = 4; added <= 5; added++) {
      List<Integer> members = new ArrayList<>(targets);
      long seq = driver.config(members.getFirst()).sequence() + 1;
      driver.awaitActiveNodes(members.getFirst(), members.size());
      int newNode = added;
      updateConsenters(
          members.getFirst(),
          m -> m.addConsenters(ConfigUpdateClusterTest.consenter(network, newNode)));
      driver.awaitSequence(members, seq);
      joinWithTheConfigBlockThatAddsIt(newNode, members.getFirst());
      driver.awaitSequence(List.of(newNode), seq);
      awaitRaftIdsEverywhere(allRunning(), added);
      targets.add(newNode);
      awaitMoreTransactions(newNode, 30);
    }
    assertThat(lastMetadata(1).getConsenterIdsList()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
    assertThat(lastMetadata(1).getNextConsenterId()).isEqualTo(6);

    // 5 -> 4: the leader goes; it hands leadership over before the update is ordered
    long leader = driver.awaitLeaderEverywhere();
    int removedLeader = (int) leader;
    int watcherNode = targets.stream().filter(n -> n != removedLeader).findFirst().orElseThrow();
    ClusterDriver.BlockWatcher watcher = driver.watch(watcherNode, driver.height(watcherNode) - 1);
    targets.remove(Integer.valueOf(removedLeader));
    removeConsenter(watcherNode, removedLeader);
    long newLeader = driver.awaitLeaderEverywhere();
    assertThat(newLeader).isNotEqualTo(leader);
    awaitEvicted(removedLeader);
    awaitMoreTransactions(watcherNode, 30);
    printLeaderRemovalInterruption(watcher);

    // 4 -> 3: another node goes
    int removedOther = targets.stream().filter(n -> n != watcherNode).findFirst().orElseThrow();
    targets.remove(Integer.valueOf(removedOther));
    removeConsenter(watcherNode, removedOther);
    awaitEvicted(removedOther);
    awaitMoreTransactions(watcherNode, 30);

    stopLoad();
    List<Integer> remaining = List.copyOf(targets);
    assertThat(remaining).hasSize(3);
    Set<String> last = new HashSet<>(driver.broadcast(remaining.getFirst(), "final", 20));
    List<List<Block>> chains = awaitChainsHolding(remaining, last);
    assertOneChainWithoutDuplicates(chains);
    assertThat(lastMetadata(remaining.getFirst()).getConsenterIdsCount()).isEqualTo(3);
    // a removed node follows the channel, and a followed channel serves no Deliver (as Fabric):
    // its ledger is read in place, and holds a prefix of the one chain
    for (int removed : List.of(removedLeader, removedOther)) {
      BlockLedger theirs =
          network.servers.get(removed).registrar().follower(CHANNEL).orElseThrow().ledger();
      assertThat(theirs.height()).isLessThanOrEqualTo(chains.getFirst().size());
      for (int i = 0; i < theirs.height(); i++) {
        assertThat(theirs.block(i).getHeader()).isEqualTo(chains.getFirst().get(i).getHeader());
      }
    }

    // every remaining node restarts from its disk with the same heights and hashes
    Map<Integer, List<String>> before = new TreeMap<>();
    for (int n : remaining) {
      before.put(n, headerHashes(driver.deliver(n, driver.height(n))));
    }
    for (int n : allRunning()) {
      network.stop(n);
    }
    for (int n : remaining) {
      network.start(n);
    }
    driver.awaitLeaderEverywhere();
    for (int n : remaining) {
      assertThat(headerHashes(driver.deliver(n, driver.height(n))))
          .as("node %d after restart", n)
          .isEqualTo(before.get(n));
    }
    Set<String> afterRestart = new HashSet<>(driver.broadcast(remaining.get(1), "restarted", 10));
    assertOneChainWithoutDuplicates(awaitChainsHolding(remaining, afterRestart));
  }

  // ---------------------------------------------------------------- membership steps

  private void updateConsenters(
      int node, java.util.function.UnaryOperator<ConfigMetadata.Builder> edit) {
    Envelope update =
        driver.ordererValueUpdate(
            driver.config(node), "ConsensusType", ConfigUpdateClusterTest.raftMetadata(edit));
    BroadcastResponse r = driver.broadcastOne(node, update);
    assertThat(r.getStatus().name()).as(r.getInfo()).isEqualTo("SUCCESS");
  }

  /** Removes the consenter whose certificate is node {@code removed}'s, through {@code via}. */
  private void removeConsenter(int via, int removed) {
    driver.awaitActiveNodes(via, targets.size() + 1);
    long seq = driver.config(via).sequence() + 1;
    var cert = ConfigUpdateClusterTest.consenter(network, removed).getClientTlsCert();
    updateConsenters(
        via,
        m -> {
          List<org.hyperledger.fabric.protos.orderer.etcdraft.Consenter> kept =
              m.getConsentersList().stream()
                  .filter(c -> !c.getClientTlsCert().equals(cert))
                  .toList();
          return m.clearConsenters().addAllConsenters(kept);
        });
    driver.awaitSequence(List.copyOf(targets), seq);
  }

  /**
   * Starts node {@code node} and joins it to the channel with the newest config block of node
   * {@code from} (the one that adds it): it onboards as a follower, pulling the blocks before it,
   * and turns consenter once it holds that block.
   */
  private void joinWithTheConfigBlockThatAddsIt(int node, int from) {
    BlockLedger ledger =
        network.servers.get(from).registrar().support(CHANNEL).orElseThrow().ledger();
    Block joinBlock = ledger.block(Blocks.lastConfigIndex(ledger.block(ledger.height() - 1)));
    assertThat(joinBlock.getHeader().getNumber()).isPositive();
    network.start(node);
    HttpResponse<String> joined = network.join(node, joinBlock);
    assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
    assertThat(joined.body())
        .contains("\"consensusRelation\":\"follower\"")
        .contains("\"status\":\"onboarding\"");
    await()
        .atMost(ClusterDriver.AWAIT)
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () ->
                assertThat(network.servers.get(node).registrar().channel(CHANNEL))
                    .get()
                    .extracting(ChannelInfo::consensusRelation, ChannelInfo::status)
                    .containsExactly("consenter", "active"));
    assertThat(network.nodeDir(node).resolve("ledger/pendingops/join/" + CHANNEL + ".join"))
        .as("join block kept only until onboarded")
        .doesNotExist();
  }

  private void awaitRaftIdsEverywhere(List<Integer> nodes, int count) {
    await()
        .atMost(ClusterDriver.AWAIT)
        .untilAsserted(
            () -> {
              for (int n : nodes) {
                assertThat(lastMetadata(n).getConsenterIdsCount())
                    .as("node %d", n)
                    .isEqualTo(count);
              }
            });
  }

  private void awaitEvicted(int node) {
    await()
        .atMost(ClusterDriver.AWAIT)
        .untilAsserted(
            () ->
                // as in Fabric v3.0, a removed consenter follows the channel (and is briefly
                // listed under neither while its chain halts)
                assertThat(network.servers.get(node).registrar().channel(CHANNEL))
                    .hasValueSatisfying(
                        info -> assertThat(info.consensusRelation()).isEqualTo("follower")));
  }

  private BlockMetadata lastMetadata(int node) throws Exception {
    BlockLedger ledger =
        network.servers.get(node).registrar().support(CHANNEL).orElseThrow().ledger();
    return BlockMetadata.parseFrom(Blocks.consenterMetadata(ledger.block(ledger.height() - 1)));
  }

  private List<Integer> allRunning() {
    return List.copyOf(new java.util.TreeSet<>(network.servers.keySet()));
  }

  // ---------------------------------------------------------------- load

  /** Clients broadcast batches of 10 to the current consenters in turn until stopped. */
  private void startLoad() {
    loadOn.set(true);
    load =
        Thread.ofVirtual()
            .name("load")
            .start(
                () -> {
                  int round = 0;
                  while (loadOn.get()) {
                    List<Integer> t = List.copyOf(targets);
                    int node = t.get(round % t.size());
                    List<Envelope> envs = new ArrayList<>();
                    for (int k = 0; k < 10; k++) {
                      String id = "load-" + round + "-" + k;
                      broadcastIds.add(id);
                      envs.add(driver.transaction(id));
                    }
                    round++;
                    try {
                      for (BroadcastResponse r : driver.broadcastAll(node, envs)) {
                        if (!r.getStatus().name().equals("SUCCESS")) {
                          refused.incrementAndGet();
                        }
                      }
                    } catch (RuntimeException e) {
                      refused.incrementAndGet();
                    }
                  }
                });
  }

  private void stopLoad() throws InterruptedException {
    loadOn.set(false);
    if (load != null) {
      load.join(TimeUnit.SECONDS.toMillis(40));
      load = null;
    }
  }

  /** Waits until node {@code node} has {@code more} transactions more than now. */
  private void awaitMoreTransactions(int node, int more) throws Exception {
    int now = ClusterDriver.transactions(driver.deliver(node, driver.height(node))).size();
    await()
        .atMost(ClusterDriver.AWAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                ClusterDriver.transactions(driver.deliver(node, driver.height(node))).size()
                    >= now + more);
  }

  // ---------------------------------------------------------------- checks

  private List<List<Block>> awaitChainsHolding(List<Integer> nodes, Set<String> ids)
      throws Exception {
    await()
        .atMost(ClusterDriver.AWAIT)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              for (int n : nodes) {
                assertThat(ClusterDriver.transactions(driver.deliver(n, driver.height(n))))
                    .containsAll(ids);
              }
            });
    await()
        .atMost(ClusterDriver.AWAIT)
        .until(() -> nodes.stream().map(driver::height).distinct().count() == 1);
    List<List<Block>> out = new ArrayList<>();
    for (int n : nodes) {
      out.add(driver.deliver(n, driver.height(n)));
    }
    return out;
  }

  /**
   * Identical headers and data on every node, hash-chained, no transaction twice, and nothing that
   * was not broadcast (broadcasts answered SUCCESS may still be lost on a leader change).
   */
  private void assertOneChainWithoutDuplicates(List<List<Block>> chains) throws Exception {
    List<Block> first = chains.getFirst();
    assertThat(first.getFirst()).isEqualTo(network.genesis);
    for (List<Block> c : chains) {
      assertThat(c).hasSameSizeAs(first);
      for (int i = 0; i < c.size(); i++) {
        assertThat(c.get(i).getHeader()).isEqualTo(first.get(i).getHeader());
        assertThat(c.get(i).getData()).isEqualTo(first.get(i).getData());
        if (i > 0) {
          assertThat(c.get(i).getHeader().getPreviousHash().toByteArray())
              .isEqualTo(BlockHashing.headerHash(c.get(i - 1).getHeader()));
        }
      }
    }
    List<String> txs = ClusterDriver.transactions(first);
    assertThat(txs).doesNotHaveDuplicates();
    Set<String> known = new HashSet<>(broadcastIds);
    txs.stream().filter(id -> id.startsWith("load-")).forEach(id -> assertThat(known).contains(id));
    System.out.printf(
        "membership run: %d blocks, %d transactions ordered, %d of %d load broadcasts refused"
            + " or lost answers%n",
        first.size(), txs.size(), refused.get(), known.size());
  }

  private static List<String> headerHashes(List<Block> blocks) {
    return blocks.stream()
        .map(b -> HexFormat.of().formatHex(BlockHashing.headerHash(b.getHeader())))
        .toList();
  }

  /**
   * How long removing the leader stopped ordering: from the config block to the next normal block
   * (the raft conf change and the return of intake happen in between), and from the last normal
   * block before it (which adds the leadership transfer that comes first).
   */
  private static void printLeaderRemovalInterruption(ClusterDriver.BlockWatcher watcher) {
    List<ClusterDriver.BlockWatcher.Seen> seen = watcher.seen();
    int config = -1;
    for (int i = 0; i < seen.size(); i++) {
      if (seen.get(i).config()) {
        config = i;
        break;
      }
    }
    assertThat(config)
        .as("the watcher saw a normal block then the config block: %s", seen)
        .isGreaterThan(0);
    int next = -1;
    for (int i = config + 1; i < seen.size(); i++) {
      if (!seen.get(i).config()) {
        next = i;
        break;
      }
    }
    assertThat(next).as("a normal block followed the config block").isPositive();
    double afterConfig = (seen.get(next).nanos() - seen.get(config).nanos()) / 1e6;
    double sinceLastNormal = (seen.get(next).nanos() - seen.get(config - 1).nanos()) / 1e6;
    System.out.printf(
        "leader removal interrupted ordering: %.1f ms from config block [%d] to the next normal"
            + " block [%d]; %.1f ms between the normal blocks around it%n",
        afterConfig,
        seen.get(config).block().getHeader().getNumber(),
        seen.get(next).block().getHeader().getNumber(),
        sinceLastNormal);
  }
}

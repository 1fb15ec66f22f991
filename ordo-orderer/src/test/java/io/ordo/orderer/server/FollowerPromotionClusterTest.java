package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordo.fabric.block.Blocks;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.orderer.admin.ChannelInfo;
import io.ordo.orderer.replication.PulledChain;
import io.ordo.storage.ledger.BlockLedger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.etcdraft.BlockMetadata;
import org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata;
import org.hyperledger.fabric.protos.orderer.etcdraft.Consenter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fabric v3.0's follower channels meeting consenter changes, on whole orderer nodes in one JVM with
 * TLS: a node following a channel is promoted by the config update that adds it and orders with the
 * others; a consenter removed by a config update follows the channel and keeps up with it, until a
 * later update adds it again under a new raft ID.
 */
class FollowerPromotionClusterTest {
  private static final int FOLLOWER = 4;

  @TempDir Path dir;
  private TestNetwork network;
  private ClusterDriver driver;
  private final Set<String> sent = new HashSet<>();

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
    if (network != null) {
      network.close();
    }
  }

  @Test
  void
      aFollowerAddedByAConfigUpdateTurnsConsenterAndARemovedConsenterFollowsTheChannelUntilReadded()
          throws Exception {
    network = new TestNetwork(dir, 4, 3, Duration.ofMillis(100), Duration.ofMillis(100), 5);
    for (int i = 1; i <= 4; i++) {
      network.start(i);
    }
    for (int i = 1; i <= 3; i++) {
      HttpResponse<String> r = network.join(i);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
    driver = new ClusterDriver(network);
    driver.awaitLeaderEverywhere();
    sent.addAll(driver.broadcast(1, "before-join", 15));

    HttpResponse<String> joined = network.join(FOLLOWER);
    assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
    assertThat(joined.body()).contains("\"consensusRelation\":\"follower\"");
    sent.addAll(driver.broadcast(2, "while-following", 15));
    awaitSameHeight(List.of(1, 2, 3, FOLLOWER));
    assertRelation(FOLLOWER, "follower");

    // the update that adds node 4, made and ordered on the consenters
    long seq = driver.config(1).sequence() + 1;
    driver.awaitActiveNodes(1, 3);
    updateConsenters(1, m -> m.addConsenters(ConfigUpdateClusterTest.consenter(network, FOLLOWER)));
    driver.awaitSequence(List.of(1, 2, 3), seq);
    awaitRelation(FOLLOWER, "consenter");
    driver.awaitSequence(List.of(FOLLOWER), seq);
    List<Integer> four = List.of(1, 2, 3, FOLLOWER);
    long leader = driver.awaitLeaderEverywhere();
    assertThat(lastMetadata(FOLLOWER).getConsenterIdsList()).containsExactly(1L, 2L, 3L, 4L);
    // the promoted node takes transactions and they reach everyone
    sent.addAll(driver.broadcast(FOLLOWER, "via-promoted", 15));
    sent.addAll(driver.broadcast((int) leader, "after-promotion", 15));
    driver.assertSameChain(driver.awaitDelivered(four, sent.size()), sent);
    driver.awaitActiveNodes((int) leader, 4);

    // a consenter that is not the leader is removed: it follows the channel from then on
    int removed = four.stream().filter(n -> n != leader && n != FOLLOWER).findFirst().orElseThrow();
    List<Integer> remaining = four.stream().filter(n -> n != removed).toList();
    long removalSeq = seq + 1;
    removeConsenter((int) leader, removed);
    driver.awaitSequence(remaining, removalSeq);
    awaitRelation(removed, "follower");
    assertThat(network.servers.get(removed).leaderOf(CHANNEL)).isZero();

    sent.addAll(driver.broadcast(FOLLOWER, "after-removal", 20));
    driver.assertSameChain(driver.awaitDelivered(remaining, sent.size()), sent);
    long height = awaitSameHeight(four);
    assertRelation(removed, "follower");
    List<Block> reference = driver.deliver(remaining.getFirst(), height);
    BlockLedger followed =
        network.servers.get(removed).registrar().follower(CHANNEL).orElseThrow().ledger();
    PulledChain chain =
        PulledChain.fromGenesis(CHANNEL, new ChannelConfigLoader(Ecdsa.preferred()));
    for (int i = 0; i < height; i++) {
      Block b = followed.block(i);
      chain.verify(b);
      assertThat(b.getHeader()).isEqualTo(reference.get(i).getHeader());
      assertThat(b.getData()).isEqualTo(reference.get(i).getData());
    }
    assertThat(lastMetadata(remaining.getFirst()).getConsenterIdsList())
        .hasSize(3)
        .doesNotContain((long) removed);

    // added again, it turns consenter under a new raft ID: IDs are never reused
    long via = driver.awaitLeaderEverywhere();
    long readdSeq = removalSeq + 1;
    driver.awaitActiveNodes((int) via, 3);
    updateConsenters(
        (int) via, m -> m.addConsenters(ConfigUpdateClusterTest.consenter(network, removed)));
    driver.awaitSequence(remaining, readdSeq);
    awaitRelation(removed, "consenter");
    driver.awaitSequence(four, readdSeq);
    assertThat(lastMetadata(removed).getConsenterIdsList())
        .hasSize(4)
        .contains(5L)
        .doesNotContain((long) removed);
    driver.awaitLeaderEverywhere();
    sent.addAll(driver.broadcast(removed, "via-readded", 15));
    driver.assertSameChain(driver.awaitDelivered(four, sent.size()), sent);

    // every node restarts from its disk with the same chain, and the four order together
    long before = awaitSameHeight(four);
    List<Block> beforeRestart = driver.deliver(1, before);
    for (int n : four) {
      network.stop(n);
    }
    for (int n : four) {
      network.start(n);
    }
    driver.awaitLeaderEverywhere();
    for (int n : four) {
      assertRelation(n, "consenter");
      List<Block> after = driver.deliver(n, before);
      for (int i = 0; i < before; i++) {
        assertThat(after.get(i).getHeader()).isEqualTo(beforeRestart.get(i).getHeader());
      }
    }
    sent.addAll(driver.broadcast(removed, "after-restart", 10));
    driver.assertSameChain(driver.awaitDelivered(four, sent.size()), sent);
  }

  // ---------------------------------------------------------------- helpers

  private void updateConsenters(int node, UnaryOperator<ConfigMetadata.Builder> edit) {
    BroadcastResponse r =
        driver.broadcastOne(
            node,
            driver.ordererValueUpdate(
                driver.config(node), "ConsensusType", ConfigUpdateClusterTest.raftMetadata(edit)));
    assertThat(r.getStatus().name()).as(r.getInfo()).isEqualTo("SUCCESS");
  }

  private void removeConsenter(int via, int removed) {
    var cert = ConfigUpdateClusterTest.consenter(network, removed).getClientTlsCert();
    updateConsenters(
        via,
        m -> {
          List<Consenter> kept = new ArrayList<>();
          for (Consenter c : m.getConsentersList()) {
            if (!c.getClientTlsCert().equals(cert)) {
              kept.add(c);
            }
          }
          return m.clearConsenters().addAllConsenters(kept);
        });
  }

  /** Waits until every node of {@code nodes}, followers included, has one same height. */
  private long awaitSameHeight(List<Integer> nodes) {
    long[] height = new long[1];
    await()
        .atMost(ClusterDriver.AWAIT)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              Set<Long> heights = new HashSet<>();
              for (int n : nodes) {
                heights.add(driver.height(n));
              }
              assertThat(heights).as("heights of nodes %s", nodes).hasSize(1);
              height[0] = heights.iterator().next();
            });
    return height[0];
  }

  private void awaitRelation(int node, String relation) {
    await()
        .atMost(ClusterDriver.AWAIT)
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(() -> assertRelation(node, relation));
  }

  private void assertRelation(int node, String relation) {
    assertThat(network.servers.get(node).registrar().channel(CHANNEL))
        .as("channel of node %d", node)
        .get()
        .extracting(ChannelInfo::consensusRelation, ChannelInfo::status)
        .containsExactly(relation, "active");
  }

  private BlockMetadata lastMetadata(int node) throws Exception {
    BlockLedger ledger =
        network.servers.get(node).registrar().support(CHANNEL).orElseThrow().ledger();
    return BlockMetadata.parseFrom(Blocks.consenterMetadata(ledger.block(ledger.height() - 1)));
  }
}

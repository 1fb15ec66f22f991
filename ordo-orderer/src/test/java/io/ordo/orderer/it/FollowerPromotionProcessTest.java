package io.ordo.orderer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordo.orderer.testing.OrdererConfigUpdates;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fabric v3.0's follower channels on orderer processes over TLS: a node joined with the genesis
 * block while the genesis block does not name it follows the channel, then the config update that
 * adds it promotes it to consenter and it orders with the others.
 */
class FollowerPromotionProcessTest {
  private static final Duration AWAIT = Duration.ofSeconds(30);
  private static final Duration QUIET = Duration.ofMillis(800);
  private static final int FOLLOWER = 4;

  @TempDir Path dir;
  private ProcessCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aFollowerJoinedWithTheGenesisBlockTracksTheChainAndTurnsConsenterWhenAnUpdateAddsIt() {
    cluster =
        new ProcessCluster(
            dir,
            ProcessCluster.logDir(getClass(), "followerPromotion"),
            ClusterSettings.threeNodes().withExtraNodes(1));
    SignedRequests requests = new SignedRequests(cluster.files.member());
    ChannelAdmin admin = new ChannelAdmin(cluster, requests);
    List<Integer> consenters = cluster.genesisConsenters();
    List<Integer> all = cluster.ids();
    cluster.startAll();
    cluster.joinAll();
    cluster.awaitLeader(AWAIT);
    Set<String> sent = new HashSet<>(broadcast(requests, 1, "before-join", 10));

    cluster.start(FOLLOWER);
    HttpResponse<String> joined =
        cluster.join(FOLLOWER, JoinRequest.of(cluster.files.genesis.toByteArray()));
    assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
    assertThat(joined.body()).contains("\"consensusRelation\":\"follower\"");
    sent.addAll(broadcast(requests, 2, "while-following", 10));
    cluster.awaitSameHeight(all, QUIET, AWAIT);
    assertThat(cluster.channelInfo(FOLLOWER))
        .hasValueSatisfying(
            info -> assertThat(info).contains("\"consensusRelation\":\"follower\""));
    // as in Fabric, a follower channel serves no Deliver: only its height shows it follows
    assertOneChain(readAll(requests, consenters), sent);

    long sequence =
        admin.changeConsenters(1, OrdererConfigUpdates.adding(admin.consenter(FOLLOWER)));
    admin.awaitSequence(consenters, sequence);
    awaitRelation(FOLLOWER, "\"consensusRelation\":\"consenter\"", "\"status\":\"active\"");
    admin.awaitSequence(all, sequence);

    // the promoted node takes transactions, and they reach everyone
    int leader = cluster.awaitLeader(AWAIT);
    sent.add(awaitAccepted(requests, FOLLOWER, "first-via-promoted"));
    sent.addAll(broadcast(requests, FOLLOWER, "via-promoted", 10));
    sent.addAll(broadcast(requests, leader, "after-promotion", 10));
    cluster.awaitSameHeight(all, QUIET, AWAIT);
    assertOneChain(readAll(requests, all), sent);
  }

  private List<String> broadcast(SignedRequests requests, int node, String prefix, int count) {
    return BroadcastCall.allAccepted(cluster, requests, node, prefix, count, AWAIT);
  }

  /**
   * Sends one envelope after another to {@code node} until one is accepted: a consenter that has
   * not yet heard from the leader answers SERVICE_UNAVAILABLE, as Fabric's does. The accepted id.
   */
  private String awaitAccepted(SignedRequests requests, int node, String prefix) {
    AtomicInteger attempt = new AtomicInteger();
    AtomicReference<String> accepted = new AtomicReference<>();
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              String id = prefix + "-" + attempt.incrementAndGet();
              BroadcastCall call =
                  BroadcastCall.send(
                      cluster.client(node), List.of(requests.transaction(id)), AWAIT);
              assertThat(call.responses())
                  .as("answer of node %d", node)
                  .singleElement()
                  .satisfies(
                      r -> assertThat(r.getStatus().name()).as(r.getInfo()).isEqualTo("SUCCESS"));
              accepted.set(id);
            });
    return accepted.get();
  }

  private void awaitRelation(int node, String... parts) {
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () ->
                assertThat(cluster.channelInfo(node))
                    .as("channel on node %d", node)
                    .hasValueSatisfying(info -> assertThat(info).contains(parts)));
  }

  private Map<Integer, List<Block>> readAll(SignedRequests requests, List<Integer> nodes) {
    Map<Integer, List<Block>> chains = new LinkedHashMap<>();
    nodes.forEach(n -> chains.put(n, Chains.read(cluster, requests, n)));
    return chains;
  }

  /** The same verified, signed chain on every node, ordering every sent id once. */
  private static void assertOneChain(Map<Integer, List<Block>> chains, Set<String> sent) {
    Chains.assertSameHeight(chains);
    List<Block> first = chains.values().iterator().next();
    chains.forEach(
        (n, c) -> {
          Chains.assertHashChained(n, c);
          Chains.assertSigned(n, c);
          Chains.assertSameAtEveryHeight(1, first, n, c);
        });
    List<String> ordered = Chains.ids(first).stream().filter(sent::contains).toList();
    Chains.assertNoDuplicates(ordered);
    assertThat(new HashSet<>(ordered)).isEqualTo(sent);
  }
}

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
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Onboarding on orderer processes over TLS: a channel of more than 2,000 blocks gets a fourth
 * consenter, which joins with the config block that adds it, pulls and verifies the whole chain,
 * turns consenter and then serves through Deliver the same chain as the others. Long: behind the
 * soak profile ({@code mvn -B -Psoak -pl ordo-orderer -am verify -Dtest=OnboardingProcessSoakTest
 * -Dsurefire.failIfNoSpecifiedTests=false}); it prints the onboarding time.
 */
@Tag("soak")
class OnboardingProcessSoakTest {
  private static final Duration AWAIT = Duration.ofMinutes(3);
  private static final Duration QUIET = Duration.ofSeconds(1);
  private static final int NEW_NODE = 4;
  private static final int BLOCKS = 2_100;
  private static final int PER_CALL = 50;

  @TempDir Path dir;
  private ProcessCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aConsenterAddedToAChannelOfTwoThousandBlocksOnboardsAndDeliversTheSameChain() {
    // one envelope per block, so that the chain is long before the update
    cluster =
        new ProcessCluster(
            dir,
            ProcessCluster.logDir(getClass(), "onboarding"),
            ClusterSettings.threeNodes().withExtraNodes(1).withSnapshots("16 MB", 1));
    SignedRequests requests = new SignedRequests(cluster.files.member());
    ChannelAdmin admin = new ChannelAdmin(cluster, requests);
    List<Integer> consenters = cluster.genesisConsenters();
    cluster.startAll();
    cluster.joinAll();
    int leader = cluster.awaitLeader(Duration.ofSeconds(30));
    Set<String> sent = new HashSet<>();
    for (int call = 0; call * PER_CALL < BLOCKS; call++) {
      sent.addAll(broadcast(requests, leader, "tx" + call, PER_CALL));
    }
    cluster.awaitSameHeight(consenters, QUIET, AWAIT);

    long sequence =
        admin.changeConsenters(leader, OrdererConfigUpdates.adding(admin.consenter(NEW_NODE)));
    admin.awaitSequence(consenters, sequence);
    Block joinBlock = admin.lastConfigBlock(leader);
    assertThat(joinBlock.getHeader().getNumber()).isGreaterThan(2_000);

    cluster.start(NEW_NODE);
    long start = System.nanoTime();
    HttpResponse<String> joined = cluster.join(NEW_NODE, JoinRequest.of(joinBlock.toByteArray()));
    assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
    assertThat(joined.body()).contains("\"consensusRelation\":\"follower\"");
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () ->
                assertThat(cluster.channelInfo(NEW_NODE))
                    .hasValueSatisfying(
                        info ->
                            assertThat(info)
                                .contains(
                                    "\"consensusRelation\":\"consenter\"",
                                    "\"status\":\"active\"")));
    Duration onboarding = Duration.ofNanos(System.nanoTime() - start);
    System.out.printf(
        "onboarding of node %d at config block [%d]: %d ms from the join request to consenter%n",
        NEW_NODE, joinBlock.getHeader().getNumber(), onboarding.toMillis());

    List<Integer> all = cluster.ids();
    sent.addAll(broadcast(requests, leader, "after", PER_CALL));
    cluster.awaitSameHeight(all, QUIET, AWAIT);
    Map<Integer, List<Block>> chains = new LinkedHashMap<>();
    all.forEach(n -> chains.put(n, Chains.read(cluster, requests, n)));
    Chains.assertSameHeight(chains);
    List<Block> first = chains.values().iterator().next();
    chains.forEach(
        (n, c) -> {
          Chains.assertHashChained(n, c);
          Chains.assertSigned(n, c);
          Chains.assertSameAtEveryHeight(1, first, n, c);
        });
    assertThat(first.size()).isGreaterThan(BLOCKS);
    List<String> ordered = Chains.ids(first).stream().filter(sent::contains).toList();
    Chains.assertNoDuplicates(ordered);
    assertThat(new HashSet<>(ordered)).isEqualTo(sent);
  }

  private List<String> broadcast(SignedRequests requests, int node, String prefix, int count) {
    return BroadcastCall.allAccepted(cluster, requests, node, prefix, count, AWAIT);
  }
}

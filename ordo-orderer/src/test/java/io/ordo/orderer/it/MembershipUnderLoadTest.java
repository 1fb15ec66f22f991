package io.ordo.orderer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.block.ConfigBlocks;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.orderer.testing.OrdererConfigUpdates;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consenters added and removed by config updates while clients broadcast, on orderer processes over
 * TLS: nodes 4 and 5, in no genesis block, join with the config block that adds them and onboard;
 * then the leader and another consenter are removed and stopped.
 */
class MembershipUnderLoadTest {
  private static final Duration AWAIT = Duration.ofSeconds(30);
  private static final Duration QUIET = Duration.ofSeconds(1);
  private static final int STEP = 40;

  @TempDir Path dir;
  private ProcessCluster cluster;
  private BroadcastLoad load;
  private ChannelAdmin admin;

  @AfterEach
  void cleanUp() {
    if (load != null) {
      load.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void growingThreeToFiveThenRemovingTheLeaderAndAnotherKeepsOneChainOrderedOnceAcrossRestarts() {
    String test = "membershipUnderLoad";
    Random random = TestSeed.forTest(test).random();
    cluster =
        new ProcessCluster(
            dir,
            ProcessCluster.logDir(getClass(), test),
            ClusterSettings.threeNodes().withExtraNodes(2));
    Phases phases = new Phases(test);
    SignedRequests requests = new SignedRequests(cluster.files.member());
    admin = new ChannelAdmin(cluster, requests);
    cluster.startAll();
    cluster.joinAll();
    cluster.awaitLeader(AWAIT);
    load = new BroadcastLoad(cluster, requests, 2, 2, Duration.ofMillis(50), 20, random);
    load.start();
    load.awaitAcceptedAtLeast(load.acceptedCount() + STEP);
    phases.done("three consenters ordering");

    List<Integer> members = new ArrayList<>(cluster.genesisConsenters());
    for (int added : List.of(4, 5)) {
      int via = members.get(random.nextInt(members.size()));
      long sequence =
          admin.changeConsenters(via, OrdererConfigUpdates.adding(admin.consenter(added)));
      admin.awaitSequence(members, sequence);
      joinWithTheConfigBlockThatAddsIt(added, admin.lastConfigBlock(via));
      members.add(added);
      admin.awaitSequence(members, sequence);
      load.awaitAcceptedAtLeast(load.acceptedCount() + STEP);
      phases.done("node " + added + " added through node " + via + ", onboarded, consenting");
    }
    assertThat(consenterCount(admin.lastConfigBlock(5))).isEqualTo(5);

    int leader = cluster.awaitLeader(AWAIT);
    remove(members, leader);
    int newLeader = cluster.awaitLeader(AWAIT);
    assertThat(newLeader).as("leader after removing leader %d", leader).isNotEqualTo(leader);
    assertThat(members).contains(newLeader);
    load.awaitAcceptedAtLeast(load.acceptedCount() + STEP);
    phases.done("leader " + leader + " removed, node " + newLeader + " leads");
    List<Integer> others = members.stream().filter(n -> n != newLeader).toList();
    int removed = others.get(random.nextInt(others.size()));
    remove(members, removed);
    load.awaitAcceptedAtLeast(load.acceptedCount() + STEP);
    phases.done("node " + removed + " removed");
    load.stop();

    cluster.awaitSameHeight(members, QUIET, AWAIT);
    Map<Integer, List<Block>> chains = readAll(requests, members);
    Chains.assertSameHeight(chains);
    int first = members.getFirst();
    chains.forEach(
        (n, c) -> {
          Chains.assertHashChained(n, c);
          Chains.assertSigned(n, c);
          Chains.assertSameAtEveryHeight(first, chains.get(first), n, c);
        });
    List<String> ordered =
        Chains.ids(chains.get(first).stream().filter(b -> !ConfigBlocks.isConfigBlock(b)).toList());
    Chains.assertNoDuplicates(ordered);
    Chains.assertAllSent(ordered, load.sent());
    Set<String> orderedSet = Set.copyOf(ordered);
    assertThat(consenterCount(admin.lastConfigBlock(first))).isEqualTo(3);
    phases.done("load stopped, " + members + " hold one chain");

    cluster.stopAll();
    cluster.start(members);
    cluster.awaitLeader(AWAIT);
    long height = cluster.awaitSameHeight(members, QUIET, AWAIT);
    assertThat(height).isEqualTo(chains.get(first).size());
    Map<Integer, List<Block>> restarted = readAll(requests, members);
    restarted.forEach(
        (n, c) -> Chains.assertKeeps("node " + n + " across the restart", chains.get(n), c));
    Chains.assertSameHeight(restarted);
    phases.done("every remaining node restarted at height " + height + " with the same hashes");
    System.out.printf(
        "%s: %d blocks, %d envelopes sent, %d answered SUCCESS, %d ordered, %d refused,"
            + " %d unanswered, %d answered SUCCESS but not ordered%n",
        test,
        height,
        load.sentCount(),
        load.acceptedCount(),
        ordered.size(),
        load.refused().size(),
        load.unanswered().size(),
        load.accepted().stream().filter(id -> !orderedSet.contains(id)).count());
  }

  /**
   * Starts node {@code node} and joins it with {@code joinBlock}: it onboards as a follower,
   * pulling the blocks before it, then turns consenter.
   */
  private void joinWithTheConfigBlockThatAddsIt(int node, Block joinBlock) {
    assertThat(joinBlock.getHeader().getNumber()).isPositive();
    cluster.start(node);
    HttpResponse<String> joined = cluster.join(node, JoinRequest.of(joinBlock.toByteArray()));
    assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
    assertThat(joined.body()).contains("\"consensusRelation\":\"follower\"");
    awaitRelation(node, "\"consensusRelation\":\"consenter\"", "\"status\":\"active\"");
  }

  /**
   * Removes consenter {@code node} through another member, waits until the others run the new
   * config and the removed node follows the channel, then stops it.
   */
  private void remove(List<Integer> members, int node) {
    members.remove(Integer.valueOf(node));
    long sequence =
        admin.changeConsenters(
            members.getFirst(), OrdererConfigUpdates.removing(cluster.files.tlsCert(node)));
    admin.awaitSequence(members, sequence);
    // as in Fabric v3.0, a removed consenter follows the channel
    awaitRelation(node, "\"consensusRelation\":\"follower\"");
    cluster.stop(node);
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

  private static int consenterCount(Block configBlock) {
    try {
      ConsensusType type =
          ConsensusType.parseFrom(
              ChannelConfigLoader.configOf(configBlock)
                  .getChannelGroup()
                  .getGroupsOrThrow("Orderer")
                  .getValuesOrThrow("ConsensusType")
                  .getValue());
      return ConfigMetadata.parseFrom(type.getMetadata()).getConsentersCount();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("ConsensusType of block " + configBlock.getHeader().getNumber(), e);
    }
  }
}

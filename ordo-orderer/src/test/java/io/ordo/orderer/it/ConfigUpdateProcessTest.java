package io.ordo.orderer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.orderer.testing.OrdererConfigUpdates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config updates broadcast to a live three-node process cluster over TLS. */
class ConfigUpdateProcessTest {
  private static final Duration AWAIT = Duration.ofSeconds(30);
  private static final Duration QUIET = Duration.ofMillis(800);

  @TempDir Path dir;
  private ProcessCluster cluster;
  private SignedRequests requests;
  private ChannelAdmin admin;

  @BeforeEach
  void start() {
    // nodes 4 and 5 only have material: the refused update names them
    cluster =
        new ProcessCluster(
            dir,
            ProcessCluster.logDir(getClass(), "configUpdates"),
            ClusterSettings.threeNodes().withExtraNodes(2));
    requests = new SignedRequests(cluster.files.member());
    admin = new ChannelAdmin(cluster, requests);
    cluster.startAll();
    cluster.joinAll();
    cluster.awaitLeader(AWAIT);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void aBatchSizeUpdateTakesEffectFromTheNextBlockOnEveryNodeAndTwoConsenterChangesAreRefused() {
    List<Integer> nodes = cluster.genesisConsenters();
    Set<String> sent = new HashSet<>(broadcast(1, "before", 12));
    cluster.awaitSameHeight(nodes, QUIET, AWAIT);

    int follower = nodes.stream().filter(n -> n != cluster.awaitLeader(AWAIT)).findFirst().get();
    BroadcastResponse r =
        admin.submit(
            follower,
            admin.ordererValueUpdate(
                follower, "BatchSize", OrdererConfigUpdates.maxMessageCount(3)));
    assertThat(r.getStatus().name()).as(r.getInfo()).isEqualTo("SUCCESS");
    admin.awaitSequence(nodes, 1);
    sent.addAll(broadcast(2, "after", 12));
    cluster.awaitSameHeight(nodes, QUIET, AWAIT);

    Map<Integer, List<Block>> chains = readAll(nodes);
    List<Block> chain = assertOneChain(chains, sent);
    long configBlock = admin.lastConfigBlock(1).getHeader().getNumber();
    assertThat(chain.get((int) configBlock).getData().getDataCount())
        .as("the config block holds the config envelope alone")
        .isEqualTo(1);
    List<Integer> sizesAfter = new ArrayList<>();
    chain.stream().skip(configBlock + 1).forEach(b -> sizesAfter.add(b.getData().getDataCount()));
    assertThat(sizesAfter).as("blocks after the update").isNotEmpty().allMatch(n -> n <= 3);
    assertThat(sizesAfter).as("blocks cut by the new count").contains(3);
    List<Integer> sizesBefore = new ArrayList<>();
    chain.stream()
        .skip(1)
        .limit(configBlock - 1)
        .forEach(b -> sizesBefore.add(b.getData().getDataCount()));
    assertThat(sizesBefore).as("blocks before the update").anyMatch(n -> n > 3);

    // adding nodes 4 and 5 at once: one consenter change per update only
    Envelope twoChanges =
        admin.ordererValueUpdate(
            1,
            "ConsensusType",
            OrdererConfigUpdates.raftMetadata(
                m -> m.addConsenters(admin.consenter(4)).addConsenters(admin.consenter(5))));
    BroadcastResponse refused = admin.submit(1, twoChanges);
    assertThat(refused.getStatus().name()).as(refused.getInfo()).isEqualTo("BAD_REQUEST");
    assertThat(refused.getInfo())
        .contains("update of more than one consenter at a time is not supported");
    sent.addAll(broadcast(3, "after-refusal", 6));
    cluster.awaitSameHeight(nodes, QUIET, AWAIT);
    List<Block> goneOn = assertOneChain(readAll(nodes), sent);
    assertThat(goneOn.size()).isGreaterThan(chain.size());
    for (int n : nodes) {
      assertThat(admin.sequence(n)).as("config sequence of node %d", n).isEqualTo(1);
    }
  }

  @Test
  void updatesWithABadSignatureOrAStaleReadSetAreRefusedWithFabricsStatusAndTheChainGoesOn() {
    List<Integer> nodes = cluster.genesisConsenters();
    Set<String> sent = new HashSet<>(broadcast(1, "before", 6));

    Envelope valid =
        admin.ordererValueUpdate(1, "BatchSize", OrdererConfigUpdates.maxMessageCount(3));
    byte[] signature = valid.getSignature().toByteArray();
    signature[signature.length - 1] ^= 0x01;
    Envelope forged = valid.toBuilder().setSignature(ByteString.copyFrom(signature)).build();
    BroadcastResponse forbidden = admin.submit(2, forged);
    assertThat(forbidden.getStatus().name()).as(forbidden.getInfo()).isEqualTo("FORBIDDEN");
    sent.addAll(broadcast(2, "after-forged", 6));
    cluster.awaitSameHeight(nodes, QUIET, AWAIT);
    assertOneChain(readAll(nodes), sent);
    for (int n : nodes) {
      assertThat(admin.sequence(n)).as("config sequence of node %d", n).isEqualTo(0);
    }

    // both made against sequence 0: the second reads BatchSize at a version the first replaces
    Envelope first =
        admin.ordererValueUpdate(3, "BatchSize", OrdererConfigUpdates.maxMessageCount(4));
    Envelope stale =
        admin.ordererValueUpdate(3, "BatchSize", OrdererConfigUpdates.maxMessageCount(5));
    BroadcastResponse accepted = admin.submit(3, first);
    assertThat(accepted.getStatus().name()).as(accepted.getInfo()).isEqualTo("SUCCESS");
    admin.awaitSequence(nodes, 1);
    BroadcastResponse refused = admin.submit(3, stale);
    assertThat(refused.getStatus().name()).as(refused.getInfo()).isEqualTo("BAD_REQUEST");
    assertThat(refused.getInfo())
        .contains("requires that key [Value]  /Channel/Orderer/BatchSize be at version 0");
    sent.addAll(broadcast(1, "after-stale", 6));
    cluster.awaitSameHeight(nodes, QUIET, AWAIT);
    assertOneChain(readAll(nodes), sent);
    for (int n : nodes) {
      assertThat(admin.sequence(n)).as("config sequence of node %d", n).isEqualTo(1);
      assertThat(maxMessageCount(admin.lastConfigBlock(n))).as("node %d", n).isEqualTo(4);
    }
  }

  private static int maxMessageCount(Block configBlock) {
    try {
      return BatchSize.parseFrom(
              ChannelConfigLoader.configOf(configBlock)
                  .getChannelGroup()
                  .getGroupsOrThrow("Orderer")
                  .getValuesOrThrow("BatchSize")
                  .getValue())
          .getMaxMessageCount();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("BatchSize of block " + configBlock.getHeader().getNumber(), e);
    }
  }

  private List<String> broadcast(int node, String prefix, int count) {
    return BroadcastCall.allAccepted(cluster, requests, node, prefix, count, AWAIT);
  }

  private Map<Integer, List<Block>> readAll(List<Integer> nodes) {
    Map<Integer, List<Block>> chains = new LinkedHashMap<>();
    nodes.forEach(n -> chains.put(n, Chains.read(cluster, requests, n)));
    return chains;
  }

  /** The same verified, signed chain on every node, ordering every sent id once. */
  private static List<Block> assertOneChain(Map<Integer, List<Block>> chains, Set<String> sent) {
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
    return first;
  }
}

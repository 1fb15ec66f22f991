package io.ordo.orderer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.genesis.GenesisBlocks;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leaderships spread over the orderers: six channels on three nodes end up led two by each, and
 * again so after a node that was stopped (its peers took over what it led) comes back.
 */
class LeaderBalanceTest {
  private static final Duration AWAIT = Duration.ofSeconds(90);
  private static final List<String> CHANNELS =
      IntStream.range(0, 6).mapToObj(i -> "balanced" + i).toList();

  @TempDir Path dir;
  private TestNetwork network;

  @AfterEach
  void stop() {
    network.close();
  }

  @Test
  void sixChannelsOnThreeNodesAreLedTwoByEachAfterANodeReturns() {
    network = new TestNetwork(dir, 3, Duration.ofMillis(100), Duration.ofMillis(100), 10);
    for (int i = 1; i <= 3; i++) {
      network.start(i);
      for (String channel : CHANNELS) {
        assertThat(network.join(i, genesis(channel)).statusCode()).isEqualTo(201);
      }
    }
    awaitBalanced(List.of(1, 2, 3), 2);

    network.stop(3);
    await()
        .atMost(AWAIT)
        .untilAsserted(() -> assertThat(ledBy(List.of(1, 2)).values()).containsOnly(3L));
    network.start(3);
    Map<Integer, Long> counts = awaitBalanced(List.of(1, 2, 3), 2);
    System.out.printf("leaderships per node after node 3 returned: %s%n", counts);
  }

  private Map<Integer, Long> awaitBalanced(List<Integer> nodes, long each) {
    return await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> ledBy(nodes), m -> m.values().stream().allMatch(n -> n == each));
  }

  /** How many of the channels each node leads (its raft ID is its number in every channel). */
  private Map<Integer, Long> ledBy(List<Integer> nodes) {
    Map<Integer, Long> counts = new TreeMap<>();
    for (int node : nodes) {
      long led =
          CHANNELS.stream().filter(c -> network.servers.get(node).leaderOf(c) == node).count();
      counts.put(node, led);
    }
    return counts;
  }

  private Block genesis(String channel) {
    return GenesisBlocks.create(
        channel,
        ChannelConfigLoader.configOf(network.genesis).getChannelGroup(),
        new SecureRandom(),
        Instant.now());
  }
}

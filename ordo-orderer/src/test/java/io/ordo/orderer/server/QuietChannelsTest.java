package io.ordo.orderer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.envelope.Envelopes;
import io.ordo.fabric.genesis.GenesisBlocks;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quiet idle channels (Consensus.QuietIdleChannels, on by default) on three nodes in one JVM with
 * ten channels: once idle, every channel goes quiet on every node and the cluster messages between
 * the nodes drop from the channels' heartbeats to the pair heartbeats, the same for one channel or
 * ten; a broadcast wakes its channel and is ordered; a leader stopped while its channels are quiet
 * is replaced on each of them.
 */
class QuietChannelsTest {
  private static final Duration AWAIT = Duration.ofSeconds(60);
  private static final Duration TICK = Duration.ofMillis(100);
  private static final List<String> CHANNELS =
      IntStream.range(0, 10).mapToObj(i -> "quiet" + i).toList();

  @TempDir Path dir;
  private TestNetwork network;
  private final SecureRandom random = new SecureRandom();

  @AfterEach
  void stop() {
    if (network != null) {
      network.close();
    }
  }

  @Test
  void idleChannelsGoQuietWakeForABroadcastAndElectAgainWhenTheirLeaderStops() {
    network = new TestNetwork(dir, 3, TICK, Duration.ofMillis(100), 10);
    OperationsProbe ops = new OperationsProbe(network);
    Map<String, Block> genesis = new HashMap<>();
    CHANNELS.forEach(c -> genesis.put(c, genesis(c)));
    for (int i = 1; i <= 3; i++) {
      network.start(i);
      for (String channel : CHANNELS) {
        assertThat(network.join(i, genesis.get(channel)).statusCode()).isEqualTo(201);
      }
    }
    awaitQuiet(ops, List.of(1, 2, 3));

    // idle: each node heartbeats each other node once per heartbeat interval (100 ms here), for
    // all ten channels together; awake, each channel's leader heartbeats each follower every tick
    // and each answers, some 400 messages a second for ten channels
    double before = messagesSent(ops, List.of(1, 2, 3));
    long start = System.nanoTime();
    await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
    double perSecond =
        (messagesSent(ops, List.of(1, 2, 3)) - before) / ((System.nanoTime() - start) / 1e9);
    System.out.printf(
        "cluster messages per second between 3 nodes with %d quiet channels: %.1f%n",
        CHANNELS.size(), perSecond);
    // 6 ordered pairs of nodes, 10 pair heartbeats a second each: well under one channel's awake
    // traffic, whatever the number of channels
    assertThat(perSecond).isLessThan(6 * 10 * 2);
    for (int i = 1; i <= 3; i++) {
      for (String channel : CHANNELS) {
        assertThat(ops.metrics(i).value("consensus_etcdraft_is_quiet", Map.of("channel", channel)))
            .as("channel %s on node %d", channel, i)
            .isEqualTo(1.0);
      }
    }

    // a broadcast to a follower of a quiet channel wakes it and is ordered
    String woken = CHANNELS.get(3);
    long leader = network.servers.get(1).leaderOf(woken);
    int follower = leader == 1 ? 2 : 1;
    long height = height(follower, woken);
    BroadcastResponse answer = broadcast(follower, woken, "wake-up");
    assertThat(answer.getStatus().name()).as(answer.getInfo()).isEqualTo("SUCCESS");
    awaitHeight(List.of(1, 2, 3), woken, height + 1);
    assertThat(
            ops.metrics((int) leader)
                .value("consensus_etcdraft_wake_ups", Map.of("channel", woken)))
        .isGreaterThanOrEqualTo(1.0);
    // and quiet again afterwards
    awaitQuiet(ops, List.of(1, 2, 3));

    // node 1 stops while every channel is quiet: each channel it led elects one of the others
    Map<String, Long> ledBefore = new HashMap<>();
    for (String channel : CHANNELS) {
      ledBefore.put(channel, network.servers.get(2).leaderOf(channel));
    }
    List<String> ledByOne = CHANNELS.stream().filter(c -> ledBefore.get(c) == 1L).toList();
    network.stop(1);
    await()
        .atMost(AWAIT)
        .untilAsserted(
            () -> {
              for (String channel : CHANNELS) {
                long l2 = network.servers.get(2).leaderOf(channel);
                long l3 = network.servers.get(3).leaderOf(channel);
                assertThat(l2).as("leader of %s on node 2", channel).isIn(2L, 3L);
                assertThat(l3).as("leader of %s on node 3", channel).isEqualTo(l2);
              }
            });
    System.out.printf("%d channels led by the stopped node elected again%n", ledByOne.size());
    for (String channel : ledByOne) {
      long h = height(2, channel);
      int to = (int) network.servers.get(2).leaderOf(channel);
      assertThat(broadcast(to, channel, "after-" + channel).getStatus().name())
          .isEqualTo("SUCCESS");
      awaitHeight(List.of(2, 3), channel, h + 1);
    }
  }

  private void awaitQuiet(OperationsProbe ops, List<Integer> nodes) {
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              for (int n : nodes) {
                assertThat(ops.metrics(n).value("consensus_etcdraft_quiet_channels", Map.of()))
                    .as("quiet channels on node %d", n)
                    .isEqualTo(CHANNELS.size());
              }
            });
  }

  /** Cluster messages the nodes have sent so far, all channels and destinations together. */
  private static double messagesSent(OperationsProbe ops, List<Integer> nodes) {
    double sum = 0;
    for (int n : nodes) {
      sum +=
          ops.metrics(n).named("cluster_comm_msg_send_time_count", Map.of()).stream()
              .mapToDouble(PrometheusSamples.Sample::value)
              .sum();
    }
    return sum;
  }

  private BroadcastResponse broadcast(int node, String channel, String data) {
    try (ClusterDriver driver = new ClusterDriver(network)) {
      return driver.broadcastOne(
          node,
          Envelopes.signed(
              HeaderType.ENDORSER_TRANSACTION,
              channel,
              ByteString.copyFromUtf8(data),
              driver.client(),
              random,
              Instant.now()));
    }
  }

  private long height(int node, String channel) {
    return network.servers.get(node).registrar().channel(channel).orElseThrow().height();
  }

  private void awaitHeight(List<Integer> nodes, String channel, long height) {
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () -> {
              for (int n : nodes) {
                assertThat(height(n, channel))
                    .as("height of %s on node %d", channel, n)
                    .isGreaterThanOrEqualTo(height);
              }
            });
  }

  private Block genesis(String channel) {
    return GenesisBlocks.create(
        channel,
        ChannelConfigLoader.configOf(network.genesis).getChannelGroup(),
        new SecureRandom(),
        Instant.now());
  }
}

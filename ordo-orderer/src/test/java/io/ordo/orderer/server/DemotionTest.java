package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.orderer.admin.ChannelInfo;
import io.ordo.orderer.replication.PulledChain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consenter told it was evicted halts its chain, drops its raft state and follows the channel.
 * (Coming back takes a config that adds it under a new raft ID, as raft IDs are never reused: a
 * member that lost its log cannot rejoin under its old ID.)
 */
class DemotionTest {
  @TempDir Path dir;
  private TestNetwork network;

  @AfterEach
  void stop() {
    network.close();
  }

  @Test
  void anEvictedConsenterHaltsItsChainDropsItsRaftStateAndFollowsTheChannel() throws Exception {
    network = new TestNetwork(dir, 3, Duration.ofMillis(100), Duration.ofMillis(100), 5, "16 MB");
    NetworkClient client = new NetworkClient(network);
    List<Integer> all = List.of(1, 2, 3);
    for (int i : all) {
      network.start(i);
      assertThat(network.join(i).statusCode()).isEqualTo(201);
    }
    long leader = client.awaitLeader(all);
    int evicted = (int) (leader % 3) + 1;
    List<Integer> others = all.stream().filter(i -> i != evicted).toList();
    client.broadcast((int) leader, "before", 20, 300);
    client.awaitSameHeight(all);

    var registrar = network.servers.get(evicted).registrar();
    registrar.support(CHANNEL).orElseThrow().evicted(0);
    await()
        .atMost(NetworkClient.AWAIT)
        .untilAsserted(
            () ->
                assertThat(registrar.channel(CHANNEL))
                    .get()
                    .extracting(ChannelInfo::consensusRelation, ChannelInfo::status)
                    .containsExactly("follower", "active"));
    assertThat(network.nodeDir(evicted).resolve("etcdraft/wal").resolve(CHANNEL)).doesNotExist();
    assertThat(network.servers.get(evicted).leaderOf(CHANNEL)).isZero();

    client.broadcast((int) leader, "while-following", 20, 300);
    client.awaitSameHeight(all);
    assertThat(registrar.channel(CHANNEL).orElseThrow().consensusRelation()).isEqualTo("follower");

    long height = client.height(evicted);
    var followed = client.ledger(evicted);
    var reference = client.ledger(others.getFirst());
    PulledChain chain =
        PulledChain.fromGenesis(CHANNEL, new ChannelConfigLoader(Ecdsa.preferred()));
    for (long i = 0; i < height; i++) {
      chain.verify(followed.block(i));
      assertThat(followed.block(i).getHeader()).isEqualTo(reference.block(i).getHeader());
    }
  }
}

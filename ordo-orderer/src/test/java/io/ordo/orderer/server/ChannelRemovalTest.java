package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DELETE of a channel through the admin API. */
class ChannelRemovalTest {
  @TempDir Path dir;
  private TestNetwork network;

  @AfterEach
  void stop() {
    network.close();
  }

  @Test
  void removingAConsentersChannelStopsItsChainAndDeletesLedgerWalAndSnapshots() throws Exception {
    network = new TestNetwork(dir, 3, Duration.ofMillis(100), Duration.ofMillis(100), 5, "8 KB");
    NetworkClient client = new NetworkClient(network);
    for (int i = 1; i <= 3; i++) {
      network.start(i);
      assertThat(network.join(i).statusCode()).isEqualTo(201);
    }
    long leader = client.awaitLeader(List.of(1, 2, 3));
    client.broadcast((int) leader, "before", 30, 1000);
    client.awaitSameHeight(List.of(1, 2, 3));
    int removed = (int) (leader % 3) + 1;
    Path node = network.nodeDir(removed);
    List<Path> channelState =
        List.of(
            node.resolve("ledger/chains").resolve(CHANNEL),
            node.resolve("etcdraft/wal").resolve(CHANNEL),
            node.resolve("etcdraft/snapshot").resolve(CHANNEL));
    assertThat(channelState).allSatisfy(p -> assertThat(p).isDirectory());

    HttpResponse<String> r =
        network.admin(removed, "DELETE", "/participation/v1/channels/" + CHANNEL);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);

    assertThat(channelState).allSatisfy(p -> assertThat(p).doesNotExist());
    assertThat(network.servers.get(removed).registrar().channels()).isEmpty();
    assertThat(network.servers.get(removed).leaderOf(CHANNEL)).isZero();
    HttpResponse<String> again =
        network.admin(removed, "DELETE", "/participation/v1/channels/" + CHANNEL);
    assertThat(again.statusCode()).isEqualTo(404);
    // the other two still make a quorum and go on ordering
    List<Integer> others = List.of(1, 2, 3).stream().filter(i -> i != removed).toList();
    long before = client.height(others.getFirst());
    client.broadcast((int) leader, "after", 10, 1000);
    assertThat(client.awaitSameHeight(others)).isGreaterThan(before);
  }
}

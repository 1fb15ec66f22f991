package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A consenter whose channel is removed through the admin API (ledger, WAL and snapshots deleted)
 * and joined again with the genesis block, while the channel's config still lists it: it rejoins
 * raft under its old ID with an empty log, is sent the channel again, and orders with the others.
 * Fabric's orderer halts such a node with "tocommit(N) is out of range".
 */
class RejoinAfterRemovalTest {
  @TempDir Path dir;
  private TestNetwork network;

  @AfterEach
  void stop() {
    network.close();
  }

  /**
   * @param snapshotInterval small: the leader's log is compacted and the node catches up from a
   *     snapshot and pulled blocks; large: it is sent the entries themselves
   */
  @ParameterizedTest
  @ValueSource(strings = {"4 KB", "16 MB"})
  void aConsenterRemovedAndJoinedAgainCatchesUpAndOrders(String snapshotInterval) throws Exception {
    network =
        new TestNetwork(
            dir, 3, Duration.ofMillis(100), Duration.ofMillis(100), 5, snapshotInterval);
    NetworkClient client = new NetworkClient(network);
    for (int i = 1; i <= 3; i++) {
      network.start(i);
      assertThat(network.join(i).statusCode()).isEqualTo(201);
    }
    long leader = client.awaitLeader(List.of(1, 2, 3));
    client.broadcast((int) leader, "before", 60, 500);
    long height = client.awaitSameHeight(List.of(1, 2, 3));
    int rejoining = (int) (leader % 3) + 1;

    HttpResponse<String> removed =
        network.admin(rejoining, "DELETE", "/participation/v1/channels/" + CHANNEL);
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(204);
    client.broadcast((int) leader, "while-away", 20, 500);
    HttpResponse<String> joined = network.join(rejoining);
    assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);

    assertThat(client.awaitSameHeight(List.of(1, 2, 3))).isGreaterThan(height);
    client.broadcast((int) leader, "after", 20, 500);
    long last = client.awaitSameHeight(List.of(1, 2, 3));
    assertThat(client.height(rejoining)).isEqualTo(last);
    assertThat(network.servers.get(rejoining).registrar().channel(CHANNEL).orElseThrow().status())
        .isEqualTo("active");
    assertThat(network.servers.get(rejoining).leaderOf(CHANNEL)).isEqualTo(leader);
  }
}

package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordo.storage.io.Directories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consenter whose raft state on disk is damaged (a WAL record corrupt mid-segment, its snapshot
 * folder deleted) while its channel's config still lists it is rebuilt from the other consenters,
 * its damaged files kept aside, instead of staying healthy without the channel.
 */
class DamagedConsensusStateRepairTest {
  @TempDir Path dir;
  private TestNetwork network;
  private NetworkClient client;
  private final List<Integer> all = List.of(1, 2, 3);

  @AfterEach
  void stop() {
    network.close();
  }

  private void startAll(String snapshotInterval) {
    network =
        new TestNetwork(
            dir, 3, Duration.ofMillis(100), Duration.ofMillis(100), 10, snapshotInterval);
    client = new NetworkClient(network);
    for (int i : all) {
      network.start(i);
      assertThat(network.join(i).statusCode()).isEqualTo(201);
    }
  }

  private Path consensus(int node, String kind) {
    return network.nodeDir(node).resolve("etcdraft").resolve(kind).resolve(CHANNEL);
  }

  @Test
  void aFollowerWithACorruptWalRecordMidSegmentIsRebuilt() throws Exception {
    startAll("16 MB");
    long leader = client.awaitLeader(all);
    client.broadcast((int) leader, "before", 60, 500);
    client.awaitSameHeight(all);
    int damaged = (int) (leader % 3) + 1;
    network.stop(damaged);
    Path segment = DiskDamage.corruptWalEntryMidSegment(consensus(damaged, "wal"));
    byte[] corrupt = Files.readAllBytes(segment);

    network.start(damaged);
    Path aside = awaitRebuilt(damaged, (int) leader);
    assertThat(Files.readAllBytes(aside.resolve("wal").resolve(segment.getFileName())))
        .isEqualTo(corrupt);
    assertThat(Files.readString(aside.resolve("reason.txt"))).contains(segment.toString());
  }

  @Test
  void aFollowerWhoseSnapshotFolderWasDeletedIsRebuilt() throws Exception {
    int interval = 32 * 1024;
    startAll("32 KB");
    long leader = client.awaitLeader(all);
    int damaged = (int) (leader % 3) + 1;
    client.broadcast((int) leader, "before", 10, 1000);
    client.awaitSameHeight(all);
    // away for three snapshot intervals: it comes back through the leader's snapshot, so its WAL
    // no longer holds the log from its first entry
    network.stop(damaged);
    client.broadcast((int) leader, "while-down", 3 * interval / 1000 + 16, 1000);
    client.awaitSameHeight(all.stream().filter(i -> i != damaged).toList());
    network.start(damaged);
    client.broadcast((int) leader, "back", 5, 1000);
    client.awaitSameHeight(all);
    network.stop(damaged);
    Path snapshots = consensus(damaged, "snapshot");
    assertThat(snapshotFiles(snapshots)).isNotEmpty();
    Directories.deleteTree(snapshots);

    network.start(damaged);
    Path aside = awaitRebuilt(damaged, (int) leader);
    assertThat(aside.resolve("wal")).isDirectory();
    assertThat(Files.readString(aside.resolve("reason.txt")))
        .contains(snapshots + ": the snapshot folder is missing while the WAL in ")
        .contains(" refers to the snapshot at index ");
  }

  /**
   * Waits until the damaged node runs the channel again as consenter, orders more on the leader,
   * checks that every node holds the same blocks and that /healthz is 200.
   *
   * @return the folder its damaged data was moved to
   */
  private Path awaitRebuilt(int damaged, int leader) throws Exception {
    List<Path> aside =
        DiskDamage.damagedFolders(network.nodeDir(damaged).resolve("ledger"), CHANNEL);
    assertThat(aside).singleElement();
    await()
        .atMost(NetworkClient.AWAIT)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () ->
                assertThat(network.servers.get(damaged).registrar().channel(CHANNEL))
                    .hasValueSatisfying(
                        i -> {
                          assertThat(i.consensusRelation()).isEqualTo("consenter");
                          assertThat(i.status()).isEqualTo("active");
                        }));
    client.broadcast((int) client.awaitLeader(all), "after", 20, 500);
    long height = client.awaitSameHeight(all);
    List<Block> rebuilt = client.blocks(damaged);
    List<Block> reference = client.blocks(leader);
    assertThat(rebuilt).hasSize((int) height);
    for (int n = 0; n < height; n++) {
      assertThat(rebuilt.get(n).getHeader()).isEqualTo(reference.get(n).getHeader());
    }
    assertThat(new OperationsProbe(network).healthz(damaged).statusCode()).isEqualTo(200);
    return aside.getFirst();
  }

  private static List<Path> snapshotFiles(Path dir) throws java.io.IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".snap")).toList();
    }
  }
}

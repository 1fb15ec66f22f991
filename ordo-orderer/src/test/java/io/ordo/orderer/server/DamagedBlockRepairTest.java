package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordo.fabric.block.ConfigBlocks;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A byte flipped inside a stored block is noticed, at start and on a read: the channel's damaged
 * data is moved aside and the channel rebuilt from the other orderers as onboarding builds it, or,
 * without another orderer, the channel is listed as failed with one line naming file, offset and
 * block. /healthz, the participation API and participation_status say which.
 */
class DamagedBlockRepairTest {
  @TempDir Path dir;
  private TestNetwork network;

  @AfterEach
  void stop() {
    network.close();
  }

  private Path ledgerLocation(int node) {
    return network.nodeDir(node).resolve("ledger");
  }

  private Path ledgerDir(int node) {
    return ledgerLocation(node).resolve("chains").resolve(CHANNEL);
  }

  /** The channel's relation and status on {@code node}, "absent" when it is not listed. */
  private List<String> info(int node) {
    return network
        .servers
        .get(node)
        .registrar()
        .channel(CHANNEL)
        .map(i -> List.of(i.consensusRelation(), i.status()))
        .orElse(List.of("absent"));
  }

  @Test
  void aFollowerWithAFlippedByteInAMiddleBlockIsRebuiltFromTheOthersOnRestart() throws Exception {
    network = new TestNetwork(dir, 3, Duration.ofMillis(100), Duration.ofMillis(100), 5);
    NetworkClient client = new NetworkClient(network);
    OperationsProbe ops = new OperationsProbe(network);
    List<Integer> all = List.of(1, 2, 3);
    for (int i : all) {
      network.start(i);
      assertThat(network.join(i).statusCode()).isEqualTo(201);
    }
    long leader = client.awaitLeader(all);
    client.broadcast((int) leader, "before", 40, 500);
    client.awaitSameHeight(all);
    // a config block: the rebuild's join block, above 0, so that it onboards by pulling
    assertThat(
            client.broadcastOne(
                (int) leader,
                new ConfigUpdates(network).batchTimeout(network.genesis, Duration.ofMillis(150))))
        .isEqualTo("SUCCESS");
    await()
        .atMost(NetworkClient.AWAIT)
        .until(() -> ConfigBlocks.isConfigBlock(client.ledger(1).block(client.height(1) - 1)));
    long configBlock = client.height(1) - 1;
    client.broadcast((int) leader, "after-config", 40, 500);
    long height = client.awaitSameHeight(all);
    int damaged = (int) (leader % 3) + 1;
    List<Block> reference = client.blocks(damaged);
    all.forEach(network::stop);

    long middle = (configBlock + height) / 2;
    DiskDamage.Flipped flipped = DiskDamage.flipByteInBlock(ledgerDir(damaged), middle);
    byte[] damagedBytes = Files.readAllBytes(flipped.file());
    // alone, the node cannot pull: it stays onboarding, and says so
    network.start(damaged);
    assertThat(info(damaged)).containsExactly("follower", "onboarding");
    HttpResponse<String> health = ops.healthz(damaged);
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(health.body())
        .contains("channel " + CHANNEL + " is being rebuilt from the other orderers after damage")
        .contains("block " + middle + " CRC32C mismatch");
    assertThat(ops.participationStatus(damaged, CHANNEL)).isEqualTo(2.0);
    assertThat(client.deliverStatus(damaged, 0, 0)).isEqualTo("SERVICE_UNAVAILABLE");

    List<Path> aside = DiskDamage.damagedFolders(ledgerLocation(damaged), CHANNEL);
    assertThat(aside).singleElement();
    assertThat(
            Files.readAllBytes(
                aside.getFirst().resolve("ledger").resolve(flipped.file().getFileName())))
        .isEqualTo(damagedBytes);
    assertThat(aside.getFirst().resolve("wal")).isDirectory();
    assertThat(aside.getFirst().resolve("snapshot")).isDirectory();
    assertThat(Files.readString(aside.getFirst().resolve("reason.txt")))
        .contains(
            flipped.file() + " at offset " + flipped.offset() + ": block " + middle + " CRC32C");

    for (int i : all) {
      if (i != damaged) {
        network.start(i);
      }
    }
    await()
        .atMost(NetworkClient.AWAIT)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> assertThat(info(damaged)).containsExactly("consenter", "active"));
    long newLeader = client.awaitLeader(all);
    client.broadcast((int) newLeader, "after", 20, 500);
    long after = client.awaitSameHeight(all);
    List<Block> rebuilt = client.blocks(damaged);
    for (int n = 0; n < height; n++) {
      assertThat(rebuilt.get(n).getHeader()).isEqualTo(reference.get(n).getHeader());
      assertThat(rebuilt.get(n).getData()).isEqualTo(reference.get(n).getData());
    }
    assertThat(rebuilt).hasSize((int) after);
    assertThat(ops.healthz(damaged).statusCode()).isEqualTo(200);
    assertThat(ops.participationStatus(damaged, CHANNEL)).isEqualTo(1.0);
    assertThat(ops.consensusRelation(damaged, CHANNEL)).isEqualTo(1.0);
    assertThat(client.deliverStatus(damaged, 0, after - 1)).isEqualTo("SUCCESS");
  }

  @Test
  void theOnlyConsenterWithAFlippedByteListsTheChannelFailedNamingFileOffsetAndBlock()
      throws Exception {
    network = new TestNetwork(dir, 1, Duration.ofMillis(100), Duration.ofMillis(100), 5);
    NetworkClient client = new NetworkClient(network);
    OperationsProbe ops = new OperationsProbe(network);
    network.start(1);
    assertThat(network.join(1).statusCode()).isEqualTo(201);
    client.awaitLeader(List.of(1));
    client.broadcast(1, "tx", 40, 500);
    long height = client.awaitSameHeight(List.of(1));
    network.stop(1);
    DiskDamage.Flipped flipped = DiskDamage.flipByteInBlock(ledgerDir(1), height / 2);
    byte[] damagedBytes = Files.readAllBytes(flipped.file());

    network.start(1);
    assertThat(info(1)).containsExactly("consenter", "failed");
    String reason = network.servers.get(1).registrar().unavailableChannels().get(CHANNEL);
    assertThat(reason)
        .doesNotContain("\n")
        .startsWith(
            flipped.file()
                + " at offset "
                + flipped.offset()
                + ": block "
                + height / 2
                + " CRC32C mismatch; not rebuilt: ")
        .contains("names no consenter but this node");
    HttpResponse<String> health = ops.healthz(1);
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(health.body()).contains("channel " + CHANNEL + " unavailable: " + reason);
    assertThat(network.admin(1, "GET", "/participation/v1/channels/" + CHANNEL).body())
        .contains("\"status\":\"failed\"");
    assertThat(ops.participationStatus(1, CHANNEL)).isEqualTo(3.0);
    assertThat(client.deliverStatus(1, 0, 0)).isEqualTo("SERVICE_UNAVAILABLE");
    // the data stays where it was, as it was
    assertThat(Files.readAllBytes(flipped.file())).isEqualTo(damagedBytes);
    assertThat(DiskDamage.damagedFolders(ledgerLocation(1), CHANNEL)).isEmpty();
  }

  @Test
  void aByteFlippedWhileRunningIsFoundByADeliverReadAndTheChannelRebuilt() throws Exception {
    network = new TestNetwork(dir, 3, Duration.ofMillis(100), Duration.ofMillis(100), 5);
    NetworkClient client = new NetworkClient(network);
    OperationsProbe ops = new OperationsProbe(network);
    List<Integer> all = List.of(1, 2, 3);
    for (int i : all) {
      network.start(i);
      assertThat(network.join(i).statusCode()).isEqualTo(201);
    }
    long leader = client.awaitLeader(all);
    client.broadcast((int) leader, "before", 80, 500);
    long height = client.awaitSameHeight(all);
    int damaged = (int) (leader % 3) + 1;

    // an old block: the newest few are read from memory, this one from its file
    DiskDamage.Flipped flipped = DiskDamage.flipByteInBlock(ledgerDir(damaged), 2);
    assertThat(client.deliverStatus(damaged, 0, height - 1)).isEqualTo("SERVICE_UNAVAILABLE");

    await()
        .atMost(NetworkClient.AWAIT)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () ->
                assertThat(DiskDamage.damagedFolders(ledgerLocation(damaged), CHANNEL))
                    .singleElement());
    await()
        .atMost(NetworkClient.AWAIT)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> assertThat(info(damaged)).containsExactly("consenter", "active"));
    client.broadcast((int) client.awaitLeader(all), "after", 20, 500);
    long after = client.awaitSameHeight(all);
    assertThat(client.deliverStatus(damaged, 0, after - 1)).isEqualTo("SUCCESS");
    assertThat(ops.healthz(damaged).statusCode()).isEqualTo(200);
    Path aside = DiskDamage.damagedFolders(ledgerLocation(damaged), CHANNEL).getFirst();
    assertThat(Files.readString(aside.resolve("reason.txt")))
        .contains(flipped.file() + " at offset " + flipped.offset() + ": block 2 CRC32C mismatch");
  }
}

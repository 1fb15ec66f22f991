package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordo.fabric.block.ConfigBlocks;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.orderer.admin.ChannelInfo;
import io.ordo.orderer.replication.PulledChain;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consenter of a channel that never ran it joins late with the channel's latest config block
 * (number above 0): it onboards by pulling the chain up to that block from the others, then starts
 * raft as a joining member and orders with them.
 */
class OnboardingTest {
  @TempDir Path dir;

  @Test
  void aLateConsenterJoinedWithALaterConfigBlockOnboardsThenOrdersWithTheOthers() throws Exception {
    onboard(dir, 400, 2, NetworkClient.AWAIT);
  }

  /**
   * Orders about {@code envelopes / perBlock} blocks on nodes 1 and 2, a config block, a few more,
   * then joins node 3 with that config block.
   *
   * @return the onboarding time in milliseconds (join request to consenter/active)
   */
  static long onboard(Path dir, int envelopes, int perBlock, Duration await) throws Exception {
    try (TestNetwork network =
        new TestNetwork(dir, 3, Duration.ofMillis(100), Duration.ofMillis(100), perBlock)) {
      return onboard(network, envelopes, perBlock, await);
    }
  }

  private static long onboard(TestNetwork network, int envelopes, int perBlock, Duration await)
      throws Exception {
    NetworkClient client = new NetworkClient(network, await);
    for (int i = 1; i <= 3; i++) {
      network.start(i);
    }
    for (int i = 1; i <= 2; i++) {
      HttpResponse<String> r = network.join(i);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
    long leader = client.awaitLeader(List.of(1, 2));
    client.broadcast((int) leader, "early", envelopes, 200);
    client.awaitSameHeight(List.of(1, 2));

    Block lastConfig = network.genesis;
    String status =
        client.broadcastOne(
            (int) leader,
            new ConfigUpdates(network).batchTimeout(lastConfig, Duration.ofMillis(150)));
    assertThat(status).isEqualTo("SUCCESS");
    await()
        .atMost(await)
        .until(() -> ConfigBlocks.isConfigBlock(client.ledger(1).block(client.height(1) - 1)));
    long configNumber = client.height(1) - 1;
    Block joinBlock = client.ledger(1).block(configNumber);
    client.broadcast((int) leader, "late", 20, 200);
    client.awaitSameHeight(List.of(1, 2));
    assertThat(configNumber).isGreaterThan(envelopes / perBlock / 2);

    long started = System.nanoTime();
    HttpResponse<String> joined = network.join(3, joinBlock);
    assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
    assertThat(joined.body()).contains("\"consensusRelation\":\"follower\"");
    assertThat(joined.body()).contains("\"status\":\"onboarding\"");
    await()
        .atMost(await)
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () ->
                assertThat(network.servers.get(3).registrar().channel(CHANNEL))
                    .get()
                    .extracting(ChannelInfo::consensusRelation, ChannelInfo::status)
                    .containsExactly("consenter", "active"));
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf(
        "onboarding of %d blocks up to join block [%d]: %d ms%n",
        configNumber + 1, configNumber, millis);

    client.awaitLeader(List.of(1, 2, 3));
    client.broadcast(3, "after-onboarding", 10, 200);
    long height = client.awaitSameHeight(List.of(1, 2, 3));
    List<Block> onboarded = client.blocks(3);
    List<Block> reference = client.blocks(1);
    assertThat(onboarded).hasSize((int) height);
    for (int i = 0; i < height; i++) {
      assertThat(onboarded.get(i).getHeader()).isEqualTo(reference.get(i).getHeader());
      assertThat(onboarded.get(i).getData()).isEqualTo(reference.get(i).getData());
    }
    PulledChain chain =
        PulledChain.fromGenesis(CHANNEL, new ChannelConfigLoader(Ecdsa.preferred()));
    onboarded.forEach(chain::verify);
    return millis;
  }
}

package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordo.fabric.block.ConfigBlocks;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.orderer.admin.ChannelInfo;
import io.ordo.orderer.follower.FollowerChannel;
import io.ordo.orderer.replication.BlockPuller;
import io.ordo.orderer.replication.PulledChain;
import io.ordo.orderer.replication.PullerSettings;
import io.ordo.storage.ledger.BlockLedger;
import io.ordo.storage.ledger.LedgerOptions;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fourth node that is not a consenter of the three-consenter channel follows it. */
class FollowerChannelTest {
  private static final List<Integer> CONSENTERS = List.of(1, 2, 3);
  private static final int FOLLOWER = 4;

  @TempDir Path dir;
  private TestNetwork network;
  private NetworkClient client;
  private long leader;

  @BeforeEach
  void start() {
    network =
        new TestNetwork(dir, 4, 3, Duration.ofMillis(100), Duration.ofMillis(100), 5, "16 MB");
    client = new NetworkClient(network);
    for (int i = 1; i <= 4; i++) {
      network.start(i);
    }
    for (int i : CONSENTERS) {
      HttpResponse<String> r = network.join(i);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
    leader = client.awaitLeader(CONSENTERS);
  }

  @AfterEach
  void stop() {
    network.close();
  }

  @Test
  void aNonConsenterJoinedWithTheGenesisBlockFollowsResumesAfterRestartAndIsRemoved()
      throws Exception {
    client.broadcast((int) leader, "before-join", 20, 300);
    HttpResponse<String> joined = network.join(FOLLOWER);
    assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
    assertThat(joined.body()).contains("\"consensusRelation\":\"follower\"");
    client.broadcast((int) leader, "while-following", 30, 300);
    client.awaitSameHeight(List.of(1, 2, 3, FOLLOWER));
    assertThat(network.servers.get(FOLLOWER).registrar().channel(CHANNEL))
        .get()
        .extracting(ChannelInfo::consensusRelation, ChannelInfo::status)
        .containsExactly("follower", "active");
    assertSameBlocks(FOLLOWER);
    // as in Fabric v3.0, a followed channel is no chain: Broadcast and Deliver do not find it
    assertThat(network.servers.get(FOLLOWER).registrar().forDeliver().channel(CHANNEL)).isEmpty();
    assertThat(network.servers.get(FOLLOWER).registrar().forBroadcast().channel(CHANNEL)).isEmpty();
    assertThat(network.nodeDir(FOLLOWER).resolve("ledger/pendingops/join/" + CHANNEL + ".join"))
        .as("join block kept only until onboarded")
        .doesNotExist();

    network.stop(FOLLOWER);
    client.broadcast((int) leader, "while-stopped", 20, 300);
    network.start(FOLLOWER);
    assertThat(network.servers.get(FOLLOWER).registrar().channel(CHANNEL))
        .get()
        .extracting(ChannelInfo::consensusRelation)
        .isEqualTo("follower");
    client.awaitSameHeight(List.of(1, 2, 3, FOLLOWER));
    assertSameBlocks(FOLLOWER);

    HttpResponse<String> removed =
        network.admin(FOLLOWER, "DELETE", "/participation/v1/channels/" + CHANNEL);
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(204);
    assertThat(network.servers.get(FOLLOWER).registrar().channels()).isEmpty();
    assertThat(network.nodeDir(FOLLOWER).resolve("ledger/chains").resolve(CHANNEL)).doesNotExist();
  }

  @Test
  void aFollowerHandsOverOnceAPulledConfigBlockListsThisNode() throws Exception {
    client.broadcast((int) leader, "before", 10, 300);
    ChannelConfigLoader loader = new ChannelConfigLoader(Ecdsa.preferred());
    CompletableFuture<Long> handedOverAt = new CompletableFuture<>();
    // the stand-in for "lists this node": any config after the genesis one
    try (BlockLedger ledger =
            BlockLedger.open(
                Files.createDirectories(dir.resolve("follower")), LedgerOptions.defaults());
        FollowerChannel follower =
            new FollowerChannel(
                CHANNEL,
                ledger,
                java.util.Optional.of(network.genesis),
                new BlockPuller(
                    CHANNEL,
                    client.pullerIdentity(FOLLOWER),
                    new PullerSettings(
                        1 << 20,
                        Duration.ofSeconds(3),
                        Duration.ofMillis(100),
                        3,
                        Duration.ofSeconds(2),
                        100 << 20),
                    new SecureRandom()),
                loader,
                config -> config.sequence() >= 1,
                Duration.ofMillis(100),
                f -> handedOverAt.complete(f.height()))) {
      follower.start();
      client.awaitSameHeight(CONSENTERS);
      await().atMost(NetworkClient.AWAIT).until(() -> ledger.height() == client.height(1));
      assertThat(handedOverAt).isNotDone();

      String status =
          client.broadcastOne(
              (int) leader,
              new ConfigUpdates(network).batchTimeout(network.genesis, Duration.ofMillis(120)));
      assertThat(status).isEqualTo("SUCCESS");
      long height = handedOverAt.get(NetworkClient.AWAIT.toSeconds(), TimeUnit.SECONDS);
      long configNumber = findConfigBlock(ledger);
      assertThat(height).isGreaterThan(configNumber);
      assertThat(follower.config().sequence()).isEqualTo(1);
      PulledChain chain = PulledChain.fromGenesis(CHANNEL, loader);
      for (long i = 0; i < ledger.height(); i++) {
        chain.verify(ledger.block(i));
      }
    }
  }

  private static long findConfigBlock(BlockLedger ledger) {
    for (long i = ledger.height() - 1; i > 0; i--) {
      if (ConfigBlocks.isConfigBlock(ledger.block(i))) {
        return i;
      }
    }
    throw new AssertionError("no config block after the genesis block");
  }

  private void assertSameBlocks(int node) {
    List<Block> followed = client.blocks(node);
    List<Block> reference = client.blocks((int) leader);
    assertThat(followed).hasSameSizeAs(reference);
    for (int i = 0; i < reference.size(); i++) {
      // the signatures are those of whichever orderer the block was pulled from
      assertThat(followed.get(i).getHeader()).isEqualTo(reference.get(i).getHeader());
      assertThat(followed.get(i).getData()).isEqualTo(reference.get(i).getData());
    }
  }
}

package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.ordo.fabric.block.BlockVerificationException;
import io.ordo.fabric.block.BlockVerificationException.Check;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.orderer.replication.BlockPullException;
import io.ordo.orderer.replication.BlockPuller;
import io.ordo.orderer.replication.PulledChain;
import io.ordo.orderer.replication.PullerSettings;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The block puller against three real orderers over TLS. */
class BlockPullerTest {
  private static final PullerSettings SETTINGS =
      new PullerSettings(
          64 * 1024,
          Duration.ofSeconds(2),
          Duration.ofMillis(100),
          1,
          Duration.ofSeconds(2),
          100 * 1024 * 1024);

  @TempDir Path dir;
  private TestNetwork network;
  private NetworkClient client;
  private final ChannelConfigLoader loader = new ChannelConfigLoader(Ecdsa.preferred());

  @BeforeEach
  void startOrderAndStop() throws Exception {
    network = new TestNetwork(dir, 3, Duration.ofMillis(100), Duration.ofMillis(100), 5);
    client = new NetworkClient(network);
    for (int i = 1; i <= 3; i++) {
      network.start(i);
    }
    for (int i = 1; i <= 3; i++) {
      HttpResponse<String> r = network.join(i);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
    client.awaitLeader(List.of(1, 2, 3));
    client.broadcast(1, "pull", 60, 2000);
    client.awaitSameHeight(List.of(1, 2, 3));
  }

  @AfterEach
  void stop() {
    network.close();
  }

  @Test
  void pullsEveryBlockAfterTheGenesisVerifiedAndIdenticalToTheSource() {
    List<Block> source = client.blocks(1);
    List<Block> pulled = new ArrayList<>();
    ChannelConfig genesisConfig = loader.fromConfigBlock(network.genesis);
    try (BlockPuller puller = puller()) {
      puller.pull(
          PulledChain.after(CHANNEL, loader, network.genesis, genesisConfig),
          source.size() - 1,
          genesisConfig,
          pulled::addAll);
    }
    assertThat(pulled).hasSize(source.size() - 1);
    for (int i = 0; i < pulled.size(); i++) {
      assertThat(pulled.get(i).getHeader()).isEqualTo(source.get(i + 1).getHeader());
      assertThat(pulled.get(i).getData()).isEqualTo(source.get(i + 1).getData());
    }
  }

  @Test
  void pullsFromGenesisWithTheBufferSmallerThanOneBlock() {
    List<Block> source = client.blocks(2);
    PullerSettings tiny =
        new PullerSettings(
            1,
            SETTINGS.pullTimeout(),
            SETTINGS.retryTimeout(),
            1,
            SETTINGS.dialTimeout(),
            SETTINGS.maxRecvMsgSize());
    List<Block> pulled = new ArrayList<>();
    try (BlockPuller puller =
        new BlockPuller(CHANNEL, client.pullerIdentity(3), tiny, new SecureRandom())) {
      puller.pull(
          PulledChain.fromGenesis(CHANNEL, loader),
          source.size() - 1,
          loader.fromConfigBlock(network.genesis),
          pulled::addAll);
    }
    assertThat(pulled.getFirst()).isEqualTo(network.genesis);
    assertThat(pulled).hasSize(source.size());
  }

  @Test
  void failsOverToAnotherOrdererWhenOneIsDown() {
    network.stop(1);
    long to = client.height(2) - 1;
    List<Block> pulled = new ArrayList<>();
    ChannelConfig genesisConfig = loader.fromConfigBlock(network.genesis);
    try (BlockPuller puller = puller()) {
      puller.pull(
          PulledChain.after(CHANNEL, loader, network.genesis, genesisConfig),
          to,
          genesisConfig,
          pulled::addAll);
    }
    assertThat(pulled).hasSize((int) to);
  }

  @Test
  void givesUpNamingChannelBlockAndEndpointsWhenNoOrdererHasTheBlocks() {
    long beyond = client.height(1) + 5;
    ChannelConfig genesisConfig = loader.fromConfigBlock(network.genesis);
    Block last = client.ledger(1).block(client.height(1) - 1);
    try (BlockPuller puller = puller()) {
      assertThatThrownBy(
              () ->
                  puller.pull(
                      PulledChain.after(CHANNEL, loader, last, genesisConfig),
                      beyond,
                      genesisConfig,
                      blocks -> {}))
          .isInstanceOf(BlockPullException.class)
          .hasMessageContaining("channel " + CHANNEL)
          .hasMessageContaining("block [" + client.height(1) + "]")
          .hasMessageContaining("127.0.0.1:" + network.generalPorts.get(0))
          .satisfies(e -> assertThat(((BlockPullException) e).block()).isEqualTo(client.height(1)));
    }
  }

  @Test
  void aPulledBlockWithAlteredDataOrLinkOrSignaturesIsRefused() {
    List<Block> blocks = client.blocks(1);
    ChannelConfig config = loader.fromConfigBlock(network.genesis);
    Block b1 = blocks.get(1);

    Block altered =
        b1.toBuilder()
            .setData(b1.getData().toBuilder().setData(0, ByteString.copyFromUtf8("forged")))
            .build();
    assertThatThrownBy(
            () -> PulledChain.after(CHANNEL, loader, blocks.get(0), config).verify(altered))
        .isInstanceOfSatisfying(
            BlockVerificationException.class,
            e -> assertThat(e.check()).isEqualTo(Check.DATA_HASH));

    PulledChain skipping = PulledChain.after(CHANNEL, loader, blocks.get(0), config);
    skipping.verify(b1);
    Block unlinked =
        blocks.get(3).toBuilder()
            .setHeader(blocks.get(3).getHeader().toBuilder().setNumber(2))
            .build();
    assertThatThrownBy(() -> skipping.verify(unlinked))
        .isInstanceOfSatisfying(
            BlockVerificationException.class,
            e -> assertThat(e.check()).isEqualTo(Check.PREVIOUS_HASH));

    Block unsigned = b1.toBuilder().setMetadata(BlockMetadata.newBuilder()).build();
    PulledChain fresh = PulledChain.after(CHANNEL, loader, blocks.get(0), config);
    assertThatThrownBy(() -> fresh.verify(unsigned)).isInstanceOf(BlockVerificationException.class);
    assertThat(fresh.next()).as("a refused block leaves the chain where it was").isEqualTo(1);
    fresh.verify(b1);
    assertThat(fresh.next()).isEqualTo(2);
  }

  private BlockPuller puller() {
    return new BlockPuller(CHANNEL, client.pullerIdentity(3), SETTINGS, new SecureRandom());
  }
}

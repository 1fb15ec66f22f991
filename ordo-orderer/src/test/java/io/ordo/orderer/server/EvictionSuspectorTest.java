package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordo.fabric.block.ConfigBlocks;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.orderer.consensus.ConsenterSupport;
import io.ordo.orderer.consensus.etcdraft.EvictionSuspector;
import io.ordo.orderer.replication.BlockPuller;
import io.ordo.orderer.replication.PullerSettings;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The eviction suspector of a chain against three real orderers whose channel had one config
 * update; "this node is listed" is a stand-in predicate on the config sequence.
 */
class EvictionSuspectorTest {
  private static final Duration THRESHOLD = Duration.ofMillis(300);
  private static final Duration CHECK = Duration.ofMillis(30);

  @TempDir static Path dir;
  private static TestNetwork network;
  private static NetworkClient client;
  private static long configNumber;

  @BeforeAll
  static void startWithAConfigUpdate() throws Exception {
    network = new TestNetwork(dir, 3, Duration.ofMillis(100), Duration.ofMillis(100), 5, "16 MB");
    client = new NetworkClient(network);
    for (int i = 1; i <= 3; i++) {
      network.start(i);
      assertThat(network.join(i).statusCode()).isEqualTo(201);
    }
    long leader = client.awaitLeader(List.of(1, 2, 3));
    client.broadcast((int) leader, "before", 10, 300);
    assertThat(
            client.broadcastOne(
                (int) leader,
                new ConfigUpdates(network).batchTimeout(network.genesis, Duration.ofMillis(130))))
        .isEqualTo("SUCCESS");
    client.broadcast((int) leader, "after", 10, 300);
    client.awaitSameHeight(List.of(1, 2, 3));
    for (long i = client.height(1) - 1; i > 0 && configNumber == 0; i--) {
      if (ConfigBlocks.isConfigBlock(client.ledger(1).block(i))) {
        configNumber = i;
      }
    }
    assertThat(configNumber).isPositive();
  }

  @AfterAll
  static void stop() {
    network.close();
  }

  @Test
  void aLeaderlessNodeThatTheNewestConfigNoLongerListsIsEvictedAtThatConfigBlock()
      throws Exception {
    CompletableFuture<Long> evictedAt = new CompletableFuture<>();
    CompletableFuture<ChannelConfig> newest = new CompletableFuture<>();
    try (EvictionSuspector s =
        suspector(
            () -> 0,
            config -> config.sequence() < 1,
            (config, number) -> {
              newest.complete(config);
              evictedAt.complete(number);
            })) {
      s.start();
      assertThat(evictedAt.get(NetworkClient.AWAIT.toSeconds(), TimeUnit.SECONDS))
          .isEqualTo(configNumber);
      assertThat(newest.get().sequence()).isEqualTo(1);
      assertThat(s.suspicions()).isEqualTo(1);
    }
  }

  @Test
  void aLeaderlessNodeStillListedChecksAgainAtEachMultipleOfTheThresholdAndStays() {
    AtomicInteger evictions = new AtomicInteger();
    try (EvictionSuspector s =
        suspector(() -> 0, config -> true, (config, number) -> evictions.incrementAndGet())) {
      s.start();
      await().atMost(NetworkClient.AWAIT).until(() -> s.suspicions() >= 2);
      assertThat(evictions).hasValue(0);
    }
  }

  @Test
  void aLeaderlessMemberWhoseLedgerIsBehindTheNewestConfigBlockIsAskedToCatchUpToIt()
      throws Exception {
    CompletableFuture<Long> catchUpTo = new CompletableFuture<>();
    ConsenterSupport real = network.servers.get(1).registrar().support(CHANNEL).orElseThrow();
    // node 1's channel as a node that holds only the genesis block would see it
    ConsenterSupport behind =
        (ConsenterSupport)
            java.lang.reflect.Proxy.newProxyInstance(
                ConsenterSupport.class.getClassLoader(),
                new Class<?>[] {ConsenterSupport.class},
                (proxy, method, args) ->
                    method.getName().equals("height") ? 1L : method.invoke(real, args));
    try (EvictionSuspector s =
        suspector(
            behind,
            () -> 0,
            config -> true,
            (config, number) -> {
              throw new AssertionError("still listed, yet evicted at " + number);
            },
            catchUpTo::complete)) {
      s.start();
      assertThat(catchUpTo.get(NetworkClient.AWAIT.toSeconds(), TimeUnit.SECONDS))
          .isEqualTo(configNumber);
    }
  }

  @Test
  void aNodeThatKnowsItsLeaderNeverSuspects() {
    AtomicInteger asked = new AtomicInteger();
    AtomicInteger evictions = new AtomicInteger();
    try (EvictionSuspector s =
        suspector(
            () -> {
              asked.incrementAndGet();
              return 1;
            },
            config -> false,
            (config, number) -> evictions.incrementAndGet())) {
      s.start();
      // three thresholds' worth of checks
      int checks = (int) (3 * THRESHOLD.toMillis() / CHECK.toMillis());
      await().atMost(NetworkClient.AWAIT).until(() -> asked.get() >= checks);
      assertThat(s.suspicions()).isZero();
      assertThat(evictions).hasValue(0);
    }
  }

  private static EvictionSuspector suspector(
      LongSupplier leader, Predicate<ChannelConfig> listed, EvictionSuspector.Evicted evicted) {
    return suspector(
        leader,
        listed,
        evicted,
        number -> {
          throw new AssertionError("node 1 holds every block, asked to catch up to " + number);
        });
  }

  private static EvictionSuspector suspector(
      LongSupplier leader,
      Predicate<ChannelConfig> listed,
      EvictionSuspector.Evicted evicted,
      java.util.function.LongConsumer behind) {
    return suspector(
        network.servers.get(1).registrar().support(CHANNEL).orElseThrow(),
        leader,
        listed,
        evicted,
        behind);
  }

  private static EvictionSuspector suspector(
      ConsenterSupport support,
      LongSupplier leader,
      Predicate<ChannelConfig> listed,
      EvictionSuspector.Evicted evicted,
      java.util.function.LongConsumer behind) {
    return new EvictionSuspector(
        CHANNEL,
        THRESHOLD,
        CHECK,
        leader,
        support,
        new BlockPuller(
            CHANNEL,
            client.pullerIdentity(1),
            new PullerSettings(
                1 << 20,
                Duration.ofSeconds(3),
                Duration.ofMillis(100),
                2,
                Duration.ofSeconds(2),
                100 << 20),
            new SecureRandom()),
        new ChannelConfigLoader(Ecdsa.preferred()),
        listed,
        evicted,
        behind);
  }
}

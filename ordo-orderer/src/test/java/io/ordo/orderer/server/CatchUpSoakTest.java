package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.orderer.replication.PulledChain;
import io.ordo.storage.ledger.BlockLedger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The figures of docs/benchmarks.md "Catch-up and onboarding" (run with {@code -Psoak}): a node
 * 10,000 blocks behind catching up by snapshot and pulling, and the onboarding of a 2,000-block
 * channel.
 */
@Tag("soak")
class CatchUpSoakTest {
  private static final Duration AWAIT = Duration.ofMinutes(5);
  private static final int BLOCKS_BEHIND = 10_000;

  @TempDir Path dir;

  @Test
  void aNodeTenThousandBlocksBehindCatchesUpAndPrintsItsSpeed() throws Exception {
    try (TestNetwork network =
        new TestNetwork(dir, 3, Duration.ofMillis(100), Duration.ofMillis(50), 1, "1 MB")) {
      NetworkClient client = new NetworkClient(network, AWAIT);
      List<Integer> all = List.of(1, 2, 3);
      for (int i : all) {
        network.start(i);
        assertThat(network.join(i).statusCode()).isEqualTo(201);
      }
      long leader = client.awaitLeader(all);
      int down = (int) (leader % 3) + 1;
      client.awaitSameHeight(all);
      long before = client.height(down);
      network.stop(down);
      List<Integer> up = all.stream().filter(i -> i != down).toList();
      long orderStart = System.nanoTime();
      client.broadcast((int) leader, "behind", BLOCKS_BEHIND, 1000);
      long height = client.awaitSameHeight(up);
      double orderSeconds = (System.nanoTime() - orderStart) / 1e9;
      long bytes = 0;
      BlockLedger reference = client.ledger((int) leader);
      for (long i = before; i < height; i++) {
        bytes += reference.block(i).getSerializedSize();
      }

      long started = System.nanoTime();
      network.start(down);
      client.awaitSameHeight(all);
      double seconds = (System.nanoTime() - started) / 1e9;
      long blocks = client.height(down) - before;
      System.out.printf(
          "catch-up: %d blocks (%.1f MB) behind, caught up in %.2f s: %.0f blocks/s, %.2f MB/s"
              + " (ordering them took %.1f s)%n",
          blocks, bytes / 1e6, seconds, blocks / seconds, bytes / 1e6 / seconds, orderSeconds);
      assertThat(blocks).isGreaterThanOrEqualTo(BLOCKS_BEHIND);

      PulledChain chain =
          PulledChain.fromGenesis(CHANNEL, new ChannelConfigLoader(Ecdsa.preferred()));
      BlockLedger caughtUp = client.ledger(down);
      for (long i = 0; i < caughtUp.height(); i++) {
        chain.verify(caughtUp.block(i));
        assertThat(caughtUp.block(i).getHeader()).isEqualTo(reference.block(i).getHeader());
      }
    }
  }

  @Test
  void onboardingOfATwoThousandBlockChannelPrintsItsTime() throws Exception {
    long millis = OnboardingTest.onboard(dir, 4000, 2, AWAIT);
    assertThat(millis).isPositive();
  }
}

package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ordo.fabric.block.BlockVerifier;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.msp.LocalSigningIdentity;
import io.ordo.orderer.replication.PulledChain;
import java.io.IOException;
import java.net.http.HttpResponse;
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
 * A consenter that was down while several snapshot intervals of blocks were ordered gets a raft
 * snapshot on return (the leader compacted the entries it misses) and pulls the blocks up to it
 * from the other orderers.
 */
class SnapshotCatchUpTest {
  private static final int INTERVAL_BYTES = 32 * 1024;

  @TempDir Path dir;
  private TestNetwork network;

  @AfterEach
  void stop() {
    network.close();
  }

  @Test
  void aNodeBackAfterThreeSnapshotIntervalsCatchesUpBySnapshotAndPullingAndItsLedgerVerifies()
      throws Exception {
    network = new TestNetwork(dir, 3, Duration.ofMillis(100), Duration.ofMillis(100), 10, "32 KB");
    NetworkClient client = new NetworkClient(network);
    List<Integer> all = List.of(1, 2, 3);
    for (int i : all) {
      network.start(i);
    }
    for (int i : all) {
      HttpResponse<String> r = network.join(i);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
    long leader = client.awaitLeader(all);
    int down = (int) (leader % 3) + 1;
    client.broadcast((int) leader, "before", 10, 1000);
    client.awaitSameHeight(all);
    long heightBefore = client.height(down);

    network.stop(down);
    List<Integer> up = all.stream().filter(i -> i != down).toList();
    // 3 intervals and a half of payload while the node is down
    client.broadcast((int) leader, "while-down", 3 * INTERVAL_BYTES / 1000 + 16, 1000);
    client.awaitSameHeight(up);
    assertThat(snapshotFiles((int) leader)).as("snapshots taken by the leader").isNotEmpty();

    network.start(down);
    client.broadcast((int) leader, "after", 5, 1000);
    long height = client.awaitSameHeight(all);
    assertThat(height).isGreaterThan(heightBefore + 10);

    List<Block> caughtUp = client.blocks(down);
    List<Block> reference = client.blocks((int) leader);
    for (int i = 0; i < reference.size(); i++) {
      assertThat(caughtUp.get(i).getHeader()).isEqualTo(reference.get(i).getHeader());
      assertThat(caughtUp.get(i).getData()).isEqualTo(reference.get(i).getData());
    }
    verifyWholeChain(caughtUp);
    // blocks written by the node itself carry its own signature; pulled ones keep their source's
    ByteString own =
        ByteString.copyFrom(
            LocalSigningIdentity.load(
                    network.ordererTls(down).getParent().resolve("msp"),
                    "OrdererMSP",
                    Ecdsa.preferred())
                .serializedIdentity());
    long pulled =
        caughtUp.stream()
            .skip(heightBefore)
            .filter(b -> !BlockVerifier.signedData(b).isEmpty())
            .filter(b -> !BlockVerifier.signedData(b).getFirst().identity().equals(own))
            .count();
    assertThat(pulled).as("blocks pulled from other orderers").isGreaterThan(0);
  }

  private static void verifyWholeChain(List<Block> blocks) {
    PulledChain chain =
        PulledChain.fromGenesis(CHANNEL, new ChannelConfigLoader(Ecdsa.preferred()));
    blocks.forEach(chain::verify);
    assertThat(chain.next()).isEqualTo(blocks.size());
  }

  private List<Path> snapshotFiles(int node) throws IOException {
    Path snaps = network.nodeDir(node).resolve("etcdraft/snapshot").resolve(CHANNEL);
    if (!Files.isDirectory(snaps)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(snaps)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".snap")).toList();
    }
  }
}

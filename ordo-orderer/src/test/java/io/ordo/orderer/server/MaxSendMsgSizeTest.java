package io.ordo.orderer.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** General.MaxSendMsgSize bounds what the general listener sends, as Go's gRPC bounds Fabric's. */
class MaxSendMsgSizeTest {
  @TempDir Path dir;
  private TestNetwork network;

  @AfterEach
  void stop() {
    network.close();
  }

  @Test
  void aDeliverOfABlockOverTheBoundEndsWithResourceExhaustedAsOnFabric() throws Exception {
    network = new TestNetwork(dir, 1, Duration.ofMillis(100), Duration.ofMillis(100), 1);
    int genesisBytes = network.genesis.getSerializedSize();
    // room for the genesis block in its DeliverResponse, not for a block holding a larger envelope
    int bound = genesisBytes + 1024;
    network.start(1, Map.of("ORDERER_GENERAL_MAXSENDMSGSIZE", Integer.toString(bound)));
    assertThat(network.join(1).statusCode()).isEqualTo(201);
    NetworkClient client = new NetworkClient(network);
    client.awaitLeader(List.of(1));
    client.broadcast(1, "big", 1, genesisBytes + 4096);
    client.awaitSameHeight(List.of(1));
    assertThat(client.height(1)).isEqualTo(2);

    assertThat(client.deliverStatus(1, 0, 0)).isEqualTo("SUCCESS");
    assertThat(client.deliverStatus(1, 1, 1))
        .startsWith("io.grpc.StatusRuntimeException: RESOURCE_EXHAUSTED: ")
        .contains("trying to send message larger than max (")
        .endsWith(" vs. " + bound + ")");
    assertThat(client.deliverStatus(1, 0, 0)).as("the node goes on serving").isEqualTo("SUCCESS");
  }
}

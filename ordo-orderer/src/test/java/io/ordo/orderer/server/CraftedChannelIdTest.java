package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.envelope.Envelopes;
import io.ordo.fabric.genesis.GenesisBlocks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A channel ID names folders on disk: join blocks, admin requests and Broadcast envelopes whose
 * channel ID is not Fabric's {@code [a-z][a-z0-9.-]*} are refused before any file is touched, and
 * the running channel's data stays as it was.
 */
class CraftedChannelIdTest {
  @TempDir Path dir;
  private TestNetwork network;

  @AfterEach
  void stop() {
    network.close();
  }

  @Test
  void craftedChannelIdsAreRefusedAndTouchNothingOnDisk() throws Exception {
    network = new TestNetwork(dir, 1, Duration.ofMillis(100), Duration.ofMillis(100), 5);
    NetworkClient client = new NetworkClient(network);
    network.start(1);
    assertThat(network.join(1).statusCode()).isEqualTo(201);
    client.awaitLeader(List.of(1));
    client.broadcast(1, "before", 12, 200);
    long height = client.awaitSameHeight(List.of(1));
    Set<Path> foldersBefore = folders(dir);

    Path outside = dir.resolve("outside-evil");
    List<String> crafted =
        List.of(
            "../evil", // hostile input, never opened
            "../chains/" + CHANNEL, // hostile input, never opened
            "../../wal", // hostile input, never opened
            outside.toString(),
            "UPPER",
            "a/b",
            "..", // hostile input, never opened
            "my channel",
            "a".repeat(250));
    for (String id : crafted) {
      HttpResponse<String> r = network.join(1, withChannelId(network.genesis, id));
      assertThat(r.statusCode()).as("join as %s: %s", id, r.body()).isEqualTo(400);
      assertThat(r.body()).as(id).contains("bad channel ID");
    }

    assertThat(folders(dir)).as("no folder made or removed").isEqualTo(foldersBefore);
    assertThat(outside).doesNotExist();
    assertThat(network.nodeDir(1).resolve("ledger/chains").resolve(CHANNEL)).isDirectory();
    assertThat(client.height(1)).isEqualTo(height);
    assertThat(network.servers.get(1).registrar().channels())
        .singleElement()
        .satisfies(info -> assertThat(info.status()).isEqualTo("active"));

    for (String id : List.of("UPPER", "a.b_c", "-x")) {
      HttpResponse<String> get = network.admin(1, "GET", "/participation/v1/channels/" + id);
      assertThat(get.statusCode()).as(get.body()).isEqualTo(400);
      assertThat(get.body()).contains("invalid channel ID");
    }
    HttpResponse<String> delete =
        network.admin(
            1,
            "DELETE",
            "/participation/v1/channels/" + URLEncoder.encode("UPPER", StandardCharsets.UTF_8));
    assertThat(delete.statusCode()).isEqualTo(400);

    String answer =
        client.broadcastOne(
            1,
            Envelopes.signed(
                HeaderType.ENDORSER_TRANSACTION,
                "../" + CHANNEL, // hostile input, never opened
                ByteString.copyFromUtf8("x"),
                network.client(),
                new SecureRandom(),
                Instant.now()));
    assertThat(answer)
        .isEqualTo("BAD_REQUEST: bad channel ID: '../" + CHANNEL + "' contains illegal characters");

    // the channel resumes whole after a restart
    network.stop(1);
    network.start(1);
    assertThat(client.height(1)).isEqualTo(height);
    client.awaitLeader(List.of(1));
    client.broadcast(1, "after", 6, 200);
    assertThat(client.awaitSameHeight(List.of(1))).isGreaterThan(height);
  }

  /** The genesis block re-made with another channel ID in its header (a consistent block). */
  private static Block withChannelId(Block genesis, String channelId) {
    return GenesisBlocks.create(
        channelId,
        ChannelConfigLoader.configOf(genesis).getChannelGroup(),
        new SecureRandom(),
        Instant.now());
  }

  private static Set<Path> folders(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isDirectory).collect(Collectors.toCollection(TreeSet::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

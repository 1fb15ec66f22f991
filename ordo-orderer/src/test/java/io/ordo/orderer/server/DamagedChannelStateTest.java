package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.genesis.GenesisBlocks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A channel whose data on disk cannot be used is kept as it is, listed as failed with the reason,
 * reported by /healthz, and removable; the node never deletes it on its own.
 */
class DamagedChannelStateTest {
  @TempDir Path dir;
  private TestNetwork network;

  @AfterEach
  void stop() {
    network.close();
  }

  @Test
  void emptiedBlockFilesLeaveTheChannelFailedAndItsDataInPlace() throws Exception {
    network = new TestNetwork(dir, 1, Duration.ofMillis(100), Duration.ofMillis(100), 5);
    NetworkClient client = new NetworkClient(network);
    network.start(1);
    assertThat(network.join(1).statusCode()).isEqualTo(201);
    client.awaitLeader(List.of(1));
    client.broadcast(1, "tx", 12, 200);
    client.awaitSameHeight(List.of(1));
    network.stop(1);

    Path ledger = network.nodeDir(1).resolve("ledger/chains").resolve(CHANNEL);
    Path wal = network.nodeDir(1).resolve("etcdraft/wal").resolve(CHANNEL);
    try (Stream<Path> files = Files.list(ledger)) {
      for (Path f : files.toList()) {
        if (f.getFileName().toString().startsWith("blockfile_")) {
          try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(0);
          }
        }
      }
    }
    Files.delete(ledger.resolve("index"));

    network.start(1);
    assertThat(network.servers.get(1).registrar().channels())
        .singleElement()
        .satisfies(info -> assertThat(info.status()).isEqualTo("failed"));
    assertThat(ledger).isDirectory();
    assertThat(wal).isDirectory();
    HttpResponse<String> health = healthz(1);
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(health.body()).contains("channel " + CHANNEL + " unavailable");
    HttpResponse<String> info = network.admin(1, "GET", "/participation/v1/channels/" + CHANNEL);
    assertThat(info.body()).contains("\"status\":\"failed\"");

    HttpResponse<String> removed =
        network.admin(1, "DELETE", "/participation/v1/channels/" + CHANNEL);
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(204);
    assertThat(ledger).doesNotExist();
    assertThat(wal).doesNotExist();
    assertThat(healthz(1).statusCode()).isEqualTo(200);
  }

  @Test
  void consensusStateWithoutALedgerIsAFailedChannelThatAJoinDoesNotOverwrite() throws Exception {
    network = new TestNetwork(dir, 1, Duration.ofMillis(100), Duration.ofMillis(100), 5);
    Path stray = network.nodeDir(1).resolve("etcdraft/wal/otherchannel");
    Files.createDirectories(stray);
    Files.writeString(stray.resolve("0000000000000000-0000000000000000.wal"), "not a WAL");
    network.start(1);

    assertThat(network.servers.get(1).registrar().channel("otherchannel"))
        .hasValueSatisfying(info -> assertThat(info.status()).isEqualTo("failed"));
    HttpResponse<String> join =
        network.join(
            1,
            GenesisBlocks.create(
                "otherchannel",
                ChannelConfigLoader.configOf(network.genesis).getChannelGroup(),
                new SecureRandom(),
                Instant.now()));
    assertThat(join.statusCode()).as(join.body()).isEqualTo(405);
    assertThat(Files.readString(stray.resolve("0000000000000000-0000000000000000.wal")))
        .isEqualTo("not a WAL");

    assertThat(network.admin(1, "DELETE", "/participation/v1/channels/otherchannel").statusCode())
        .isEqualTo(204);
    assertThat(stray).doesNotExist();
  }

  private HttpResponse<String> healthz(int node) {
    var address = network.servers.get(node).operationsAddress().orElseThrow();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + "/healthz"))
            .build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A follower whose ledger disk fills up stops its chain and says so, in log lines without a stack
 * trace (a full disk is the operator's to fix, not a fault of the code); once space is freed its
 * chain starts again by itself and catches up, without a restart of the node. The ledger lies on a
 * small tmpfs, which needs the right to mount one: without it the test is skipped.
 */
class DiskFullRecoveryTest {
  private static final Duration AWAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private TestNetwork network;
  private Path mounted;

  private final ListAppender<ILoggingEvent> events = new ListAppender<>();

  @AfterEach
  void stop() throws Exception {
    root().detachAppender(events);
    if (network != null) {
      network.close();
    }
    if (mounted != null) {
      run("umount", mounted.toString());
    }
  }

  @Test
  void aFollowerWhoseLedgerDiskFillsUpResumesByItselfOnceSpaceIsFreed() throws Exception {
    network = new TestNetwork(dir, 3, Duration.ofMillis(100), Duration.ofMillis(100), 10);
    NetworkClient client = new NetworkClient(network, AWAIT);
    for (int i = 1; i <= 3; i++) {
      network.start(i);
      assertThat(network.join(i).statusCode()).isEqualTo(201);
    }
    long leader = client.awaitLeader(List.of(1, 2, 3));
    int full = (int) (leader % 3) + 1;
    client.broadcast((int) leader, "before", 20, 500);
    client.awaitSameHeight(List.of(1, 2, 3));

    // the follower's ledger moves onto a 4 MB tmpfs, nearly filled
    network.stop(full);
    Path ledger = network.nodeDir(full).resolve("ledger");
    Path saved = dir.resolve("saved-ledger");
    Files.move(ledger, saved);
    Files.createDirectories(ledger);
    Assumptions.assumeTrue(
        run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", ledger.toString()),
        "mounting a tmpfs is not permitted here; the disk-full test needs it");
    mounted = ledger;
    run("cp", "-a", saved + "/.", ledger.toString());
    Path filler = ledger.resolve("filler");
    fill(filler, ledger);
    network.start(full);
    events.start();
    root().addAppender(events);

    client.broadcast((int) leader, "filling", 400, 3000);
    await()
        .atMost(AWAIT)
        .untilAsserted(
            () ->
                assertThat(
                        network
                            .servers
                            .get(full)
                            .registrar()
                            .channel(CHANNEL)
                            .orElseThrow()
                            .status())
                    .isEqualTo("failed"));
    assertThat(network.servers.get(full).registrar().unavailableChannels().get(CHANNEL))
        .contains("its chain stopped");
    List<Integer> others = List.of(1, 2, 3).stream().filter(i -> i != full).toList();
    long othersHeight = client.awaitSameHeight(others);

    Files.delete(filler);
    await()
        .atMost(AWAIT)
        .untilAsserted(
            () ->
                assertThat(
                        network
                            .servers
                            .get(full)
                            .registrar()
                            .channel(CHANNEL)
                            .orElseThrow()
                            .status())
                    .isEqualTo("active"));
    client.broadcast((int) leader, "after", 10, 500);
    assertThat(client.awaitSameHeight(List.of(1, 2, 3))).isGreaterThan(othersHeight);
    List<ILoggingEvent> logged = List.copyOf(events.list);
    assertThat(logged)
        .as("the full disk was logged")
        .anyMatch(e -> e.getFormattedMessage().contains("No space left on device"));
    assertThat(logged)
        .as("log lines with a stack trace")
        .filteredOn(e -> e.getThrowableProxy() != null)
        .extracting(ILoggingEvent::getFormattedMessage)
        .isEmpty();
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  /** Fills the file system of {@code in} with {@code file}, leaving about 600 KB free. */
  private static void fill(Path file, Path in) throws IOException {
    long free = Files.getFileStore(in).getUsableSpace();
    long size = Math.max(0, free - 600 * 1024);
    try (var out = Files.newOutputStream(file)) {
      byte[] chunk = new byte[64 * 1024];
      for (long written = 0; written < size; written += chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, size - written));
      }
    }
  }

  private static boolean run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }
}

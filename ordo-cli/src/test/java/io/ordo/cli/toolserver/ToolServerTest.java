package io.ordo.cli.toolserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordo.cli.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tool server in this JVM, spoken to over a socket as bin/ordo does: the request's folder,
 * environment and arguments are the ones a command sees, its stdout, stderr and exit code come back
 * apart, a wrong token or an oversized request runs nothing.
 */
class ToolServerTest {
  private static final String TOKEN = "a".repeat(64);
  private static final String PROFILE = "AppChannelEtcdRaft";

  @TempDir Path cwd;
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final AtomicBoolean current = new AtomicBoolean(true);
  private ToolServer server;
  private CompletableFuture<String> serving;

  /** What came back for one request. */
  record Answer(boolean accepted, String refused, String out, String err, Integer exit) {}

  @BeforeEach
  void start() throws Exception {
    // the network's configtx.yaml, reached from the client's folder by a relative path
    Files.createSymbolicLink(cwd.resolve("net"), TestData.network());
    server = ToolServer.bind(TOKEN, Duration.ofMinutes(5), current::get, log::add);
    serving = CompletableFuture.supplyAsync(server::serve);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void relativePathsOnTheCommandLineAreTakenFromTheClientsFolder() throws Exception {
    Answer a =
        send(
            TOKEN,
            Map.of(),
            "genesis",
            "--configPath",
            "net",
            "--profile",
            PROFILE,
            "--channelID",
            "mychannel",
            "--outputBlock",
            "out/genesis.block");

    assertThat(a.exit()).as(a.err()).isZero();
    assertThat(cwd.resolve("out/genesis.block")).isNotEmptyFile();
    assertThat(Path.of("out/genesis.block"))
        .as("nothing lands in the server's folder")
        .doesNotExist();
    assertThat(a.out())
        .isEqualTo(
            "wrote the genesis block of channel mychannel (profile "
                + PROFILE
                + " of "
                + cwd.resolve("net/configtx.yaml")
                + ") to "
                + cwd.resolve("out/genesis.block")
                + "\n");
    assertThat(a.err()).isEmpty();
    assertThat(log).anyMatch(l -> l.startsWith("request 1: genesis in " + cwd + ", exit 0"));
  }

  @Test
  void theEnvironmentIsTheRequestsAndItsRelativePathsTooAndNothingCarriesOver() throws Exception {
    assertThat(System.getenv("FABRIC_CFG_PATH")).as("the test JVM's own").isNull();
    String[] genesis = {
      "genesis", "--profile", PROFILE, "--channelID", "mychannel", "--outputBlock", "g.block"
    };
    Answer withEnv = send(TOKEN, Map.of("FABRIC_CFG_PATH", "net"), genesis);
    assertThat(withEnv.exit()).as(withEnv.err()).isZero();
    assertThat(withEnv.out()).contains(cwd.resolve("net/configtx.yaml").toString());

    // the next request has no FABRIC_CFG_PATH: the current folder, which has no configtx.yaml
    Answer without = send(TOKEN, Map.of(), genesis);
    assertThat(without.exit()).isEqualTo(1);
    assertThat(without.err())
        .isEqualTo(
            "ordo genesis: no configtx.yaml in "
                + cwd
                + ", from the current folder (neither --configPath nor FABRIC_CFG_PATH is set)\n");
  }

  @Test
  void theExitCodeAndStderrComeBackApartFromStdout() throws Exception {
    Answer usage = send(TOKEN, Map.of(), "genesis", "--profile", PROFILE, "--bogus");
    assertThat(usage.accepted()).isTrue();
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.out()).isEmpty();
    assertThat(usage.err()).startsWith("ordo genesis: Unknown option").contains("'--bogus'");
    assertThat(usage.err().lines()).hasSize(1);

    Answer version = send(TOKEN, Map.of(), "version");
    assertThat(version.exit()).isZero();
    assertThat(version.out()).contains(" Version: ");
    assertThat(version.err()).isEmpty();
  }

  @Test
  void aWrongTokenIsRefusedWithOneLineAndRunsNothing() throws Exception {
    Answer a =
        send(
            "b".repeat(64),
            Map.of(),
            "genesis",
            "--configPath",
            "net",
            "--profile",
            PROFILE,
            "--channelID",
            "mychannel",
            "--outputBlock",
            "never.block");

    assertThat(a.accepted()).isFalse();
    assertThat(a.refused()).isEqualTo("ordo tool server: wrong token");
    assertThat(a.exit()).isNull();
    assertThat(cwd.resolve("never.block")).doesNotExist();
    assertThat(server.served()).isZero();
    assertThat(log).contains("refused a request: wrong token").noneMatch(l -> l.contains(TOKEN));
  }

  @Test
  void aRequestOverOneMegabyteIsRefused() throws Exception {
    Answer a = send(TOKEN, Map.of("BIG", "x".repeat(ToolProtocol.MAX_REQUEST)), "version");

    assertThat(a.accepted()).isFalse();
    assertThat(a.refused())
        .isEqualTo("ordo tool server: request larger than " + ToolProtocol.MAX_REQUEST + " bytes");
    assertThat(server.served()).isZero();
  }

  @Test
  void twoClientsAtOnceEachOnItsOwnThread() throws Exception {
    // the first client has sent half its request; the second is served meanwhile
    try (Socket slow = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      OutputStream slowOut = slow.getOutputStream();
      slowOut.write((ToolProtocol.MAGIC + "\0" + TOKEN + "\0").getBytes(StandardCharsets.UTF_8));
      slowOut.flush();

      Answer fast = send(TOKEN, Map.of(), "version");
      assertThat(fast.exit()).isZero();

      slowOut.write(
          (cwd + "\0" + "0\0" + "1\0" + "version\0" + "\0").getBytes(StandardCharsets.UTF_8));
      slowOut.flush();
      Answer late = read(slow.getInputStream());
      assertThat(late.exit()).isZero();
      assertThat(late.out()).isEqualTo(fast.out());
    }
    assertThat(server.served()).isEqualTo(2);
  }

  @Test
  void itStopsWhenItsJarChangesAndWhenIdle() throws Exception {
    current.set(false);
    await().atMost(Duration.ofSeconds(30)).until(serving::isDone);
    assertThat(serving.get()).isEqualTo("the jar changed");

    try (ToolServer idle = ToolServer.bind(TOKEN, Duration.ofMillis(300), () -> true, log::add)) {
      CompletableFuture<String> done = CompletableFuture.supplyAsync(idle::serve);
      await().atMost(Duration.ofSeconds(30)).until(done::isDone);
      assertThat(done.get()).isEqualTo("idle for PT0.3S");
    }
  }

  private Answer send(String token, Map<String, String> env, String... args) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      try {
        ToolProtocol.write(
            s.getOutputStream(), token, new ToolRequest(cwd, false, List.of(args), env));
      } catch (IOException e) {
        // a refused oversized request: the server stops reading; its answer is still there
      }
      return read(s.getInputStream());
    }
  }

  private static Answer read(InputStream in) throws IOException {
    List<String> frames = new ArrayList<>();
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    for (int c = in.read(); c >= 0; c = in.read()) {
      if (c == 0) {
        frames.add(frame.toString(StandardCharsets.UTF_8));
        frame.reset();
      } else {
        frame.write(c);
      }
    }
    boolean accepted = false;
    String refused = null;
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    Integer exit = null;
    for (String f : frames) {
      String data = f.substring(1);
      switch (f.charAt(0)) {
        case 'a' -> accepted = true;
        case 'r' -> refused = data;
        case 'o' -> out.append(data);
        case 'e' -> err.append(data);
        case 'x' -> exit = Integer.valueOf(data);
        default -> throw new AssertionError("unknown frame " + f);
      }
    }
    return new Answer(accepted, refused, out.toString(), err.toString(), exit);
  }
}

package io.ordo.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive as an operator gets it: unpacked in a temporary folder, its own bin/ordo
 * makes the crypto material and the genesis block from the sample config, starts a node from the
 * sample orderer.yaml (ports from the environment, as Fabric allows), joins it to the channel and
 * orders a bench through it. No Maven and no checkout are involved past this point.
 */
class ReleaseArchiveIT {
  private static final Duration COMMAND = Duration.ofMinutes(2);
  private static final String ORG = "config/crypto/ordererOrganizations/example.com";

  @TempDir Path tmp;
  private Path home;
  private final List<Process> started = new ArrayList<>();
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void unpack() throws Exception {
    Path archive = Path.of(System.getProperty("ordo.release.archive"));
    assertThat(archive).as("the package phase makes the archive").isRegularFile();
    Processes.Result tar =
        Processes.run(
            tmp,
            Map.of(),
            COMMAND,
            List.of("tar", "xzf", archive.toString(), "-C", tmp.toString()));
    assertThat(tar.exit()).as(tar.err()).isZero();
    home = tmp.resolve("ordo-" + System.getProperty("ordo.version"));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("ORDO_CDS_DIR", tmp.resolve("cds").toString());
    // the tool server's own test turns it on; here each command runs in its own JVM
    env.put("ORDO_TOOL_SERVER", "off");
  }

  @AfterEach
  void stopNodes() throws InterruptedException {
    for (Process p : started) {
      Processes.stop(p, Duration.ofSeconds(10));
    }
    // tool servers started here: detached from the launcher, found by their folder
    String tools = tmp.resolve("tools").toString();
    ProcessHandle.allProcesses()
        .filter(p -> p.info().arguments().map(a -> List.of(a).contains(tools)).orElse(false))
        .forEach(ProcessHandle::destroy);
  }

  @Test
  void theSecondShortCommandIsServedByTheToolServerAndPrintsWhatADirectRunPrints()
      throws Exception {
    Map<String, String> served = new HashMap<>(env);
    served.remove("ORDO_TOOL_SERVER");
    served.put("ORDO_TOOL_SERVER_DIR", tmp.resolve("tools").toString());
    Map<String, String> direct = new HashMap<>(served);
    direct.put("ORDO_TOOL_SERVER", "off");

    // the first call runs directly and starts the server for the next
    Processes.Result first =
        run(
            served,
            "crypto",
            "generate",
            "--config",
            "config/crypto-config.yaml",
            "--output",
            "config/crypto");
    assertThat(first.exit()).as(first.err()).isZero();
    Path tools = tmp.resolve("tools");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Files.isDirectory(tools) && portFile(tools).isPresent());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tools)))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(portFile(tools).get())))
        .isEqualTo("rw-------");
    Path log =
        tools.resolve(portFile(tools).get().getFileName().toString().replace(".port", ".log"));

    Files.createDirectories(home.resolve("out"));
    String[] genesis = {
      "genesis",
      "--configPath",
      "config",
      "--profile",
      "ChannelUsingRaft",
      "--channelID",
      "mychannel",
      "--outputBlock",
      "out/mychannel.block"
    };
    String[] wrongProfile = {
      "genesis",
      "--configPath",
      "config",
      "--profile",
      "Nope",
      "--channelID",
      "mychannel",
      "--outputBlock",
      "out/never.block"
    };
    Processes.Result byServer = run(served, genesis);
    Processes.Result failingByServer = run(served, wrongProfile);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(Files.readString(log))
                    .contains("request 1: genesis in " + home.toRealPath() + ", exit 0")
                    .contains("request 2: genesis in " + home.toRealPath() + ", exit 1"));
    Files.delete(home.resolve("out/mychannel.block"));

    Processes.Result byItself = run(direct, genesis);
    Processes.Result failingByItself = run(direct, wrongProfile);
    assertThat(home.resolve("out/mychannel.block")).isNotEmptyFile();
    assertThat(byServer).isEqualTo(byItself);
    assertThat(byServer.exit()).isZero();
    assertThat(byServer.out())
        .contains(home.toRealPath().resolve("out/mychannel.block").toString());
    assertThat(failingByServer).isEqualTo(failingByItself);
    assertThat(failingByServer.exit()).isEqualTo(1);
    assertThat(failingByServer.err()).contains("unknown profile 'Nope'");
    assertThat(Files.readString(log)).doesNotContain("request 3");
  }

  private static java.util.Optional<Path> portFile(Path tools) throws IOException {
    try (Stream<Path> files = Files.list(tools)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".port")).findFirst();
    }
  }

  @Test
  void holdsTheCommandTheJarTheReadmeAndConfigSamplesButNoKeys() throws IOException {
    assertThat(home.resolve("bin/ordo")).isRegularFile();
    assertThat(Files.getPosixFilePermissions(home.resolve("bin/ordo")))
        .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
    assertThat(home.resolve("lib/ordo.jar")).isRegularFile();
    assertThat(home.resolve("lib/node-jvm.options")).isRegularFile();
    for (String f :
        List.of(
            "README.md",
            "RELEASE.md",
            "LICENSE",
            "config/orderer.yaml",
            "config/configtx.yaml",
            "config/crypto-config.yaml")) {
      assertThat(home.resolve(f)).isRegularFile();
    }
    try (Stream<Path> all = Files.walk(home)) {
      assertThat(all.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.endsWith("_sk") || n.endsWith(".key") || n.equals("pom.xml"));
    }
  }

  @Test
  void aNodeStartsFromTheSampleConfigJoinsAndOrdersThenVersionLockAndJdkSearch() throws Exception {
    ok("crypto", "generate", "--config", "config/crypto-config.yaml", "--output", "config/crypto");
    ok(
        "genesis",
        "--configPath",
        "config",
        "--profile",
        "ChannelUsingRaft",
        "--channelID",
        "mychannel",
        "--outputBlock",
        "mychannel.block");
    try (Stream<Path> archives = Files.list(tmp.resolve("cds"))) {
      assertThat(archives.map(p -> p.getFileName().toString()))
          .as("the first run of each short command leaves its class-data archive")
          .anyMatch(n -> n.startsWith("genesis-") && n.endsWith(".jsa"));
    }

    int client = FreePorts.next();
    int admin = FreePorts.next();
    int ops = FreePorts.next();
    Map<String, String> nodeEnv = new HashMap<>(env);
    nodeEnv.put("FABRIC_CFG_PATH", "config");
    nodeEnv.put("ORDERER_GENERAL_LISTENPORT", String.valueOf(client));
    nodeEnv.put("ORDERER_ADMIN_LISTENADDRESS", "127.0.0.1:" + admin);
    nodeEnv.put("ORDERER_OPERATIONS_LISTENADDRESS", "127.0.0.1:" + ops);
    Process node = start(nodeEnv, tmp.resolve("node.log"), "orderer", "start");
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .failFast("the node exited; see " + tmp.resolve("node.log"), () -> !node.isAlive())
        .until(() -> status(http, "http://127.0.0.1:" + ops + "/healthz") == 200);
    // bin/ordo execs the JVM: the node's own command line shows the settings of node-jvm.options
    assertThat(node.info().arguments().map(List::of).orElse(List.of()))
        .contains("-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError");
    assertThat(Files.readString(Path.of("/proc", String.valueOf(node.pid()), "environ")))
        .contains("MALLOC_ARENA_MAX=2");

    List<String> adminTls =
        List.of(
            "--ca-file",
            ORG + "/tlsca/tlsca.example.com-cert.pem",
            "--client-cert",
            ORG + "/users/Admin@example.com/tls/client.crt",
            "--client-key",
            ORG + "/users/Admin@example.com/tls/client.key");
    List<String> join = new ArrayList<>(List.of("channel", "join", "-o", "127.0.0.1:" + admin));
    join.addAll(adminTls);
    join.addAll(List.of("--channelID", "mychannel", "--config-block", "mychannel.block"));
    assertThat(ok(join.toArray(String[]::new)).out()).contains("Status: 201");
    List<String> list = new ArrayList<>(List.of("channel", "list", "-o", "127.0.0.1:" + admin));
    list.addAll(adminTls);
    list.addAll(List.of("--channelID", "mychannel"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> ok(list.toArray(String[]::new)).out().contains("\"status\": \"active\""));

    Processes.Result bench =
        ok(
            "bench",
            "-o",
            "127.0.0.1:" + client,
            "--channel",
            "mychannel",
            "--ca",
            ORG + "/tlsca/tlsca.example.com-cert.pem",
            "--msp",
            "config/crypto/peerOrganizations/org1.example.com/users/User1@org1.example.com/msp",
            "--mspid",
            "Org1MSP",
            "--tx",
            "200",
            "--timeout",
            "1m");
    assertThat(bench.out()).contains("200 of 200");

    // ordo version and the node's /version say the same
    String version = ok("version").out();
    JsonNode v =
        new ObjectMapper()
            .readTree(
                http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops + "/version"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body());
    assertThat(version)
        .contains(" Version: " + v.get("Version").asText())
        .contains(" Commit SHA: " + v.get("CommitSHA").asText())
        .contains(" Fabric: " + v.get("FabricVersion").asText());
    assertThat(v.get("Version").asText()).isEqualTo(System.getProperty("ordo.version"));

    // a second node on the same data folder: one line naming the folder and the holder
    Map<String, String> second = new HashMap<>(nodeEnv);
    second.put("ORDERER_GENERAL_LISTENPORT", String.valueOf(FreePorts.next()));
    second.put("ORDERER_ADMIN_LISTENADDRESS", "127.0.0.1:" + FreePorts.next());
    second.put("ORDERER_OPERATIONS_LISTENADDRESS", "127.0.0.1:" + FreePorts.next());
    Processes.Result held = run(second, "orderer", "start");
    assertThat(held.exit()).isEqualTo(1);
    // the node's own log lines come first, as Fabric's do; the error is the last line, alone
    List<String> lines = held.both().strip().lines().toList();
    assertThat(lines.getLast())
        .startsWith("orderer: cannot start: FileLedger.Location: the data folder ")
        .contains(home.resolve("config/production/orderer").toString())
        .contains("is in use by process " + node.pid() + " (an Ordo orderer");
    assertThat(lines).noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception"));

    // the launcher passes over a java older than 21 and says where it looked
    Path fakeBin = Files.createDirectories(tmp.resolve("fake-bin"));
    Path fakeJava = fakeBin.resolve("java");
    Files.writeString(fakeJava, "#!/bin/sh\necho '    java.specification.version = 17' >&2\n");
    fakeJava.toFile().setExecutable(true);
    Map<String, String> noJdk = new HashMap<>();
    noJdk.put("PATH", fakeBin + ":/usr/bin:/bin");
    noJdk.put("ORDO_JVM_ROOT", tmp.resolve("no-jvms").toString());
    noJdk.put("ORDO_CDS_DIR", "off");
    noJdk.put("JAVA_HOME", "");
    Processes.Result none = run(noJdk, "version");
    assertThat(none.exit()).isEqualTo(1);
    assertThat(none.err()).startsWith("ordo: no JDK 21 or newer found");
  }

  private Process start(Map<String, String> env, Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(home.resolve("bin/ordo").toString()));
    command.addAll(List.of(args));
    Process p = Processes.start(home, env, log, command);
    started.add(p);
    return p;
  }

  private Processes.Result run(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(home.resolve("bin/ordo").toString()));
    command.addAll(List.of(args));
    return Processes.run(home, env, COMMAND, command);
  }

  private Processes.Result ok(String... args) throws IOException, InterruptedException {
    Processes.Result r = run(env, args);
    assertThat(r.exit()).as("ordo %s: %s", String.join(" ", args), r.both()).isZero();
    return r;
  }

  private static int status(HttpClient http, String url) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}

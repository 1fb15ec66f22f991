package io.ordo.orderer.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.orderer.testing.LogbackDefaults;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrdererMainTest {
  private record Outcome(int code, String err) {}

  @AfterEach
  void restoreTestLogging() {
    LogbackDefaults.restore();
  }

  private static Outcome run(Map<String, String> env, String... args) {
    StringWriter err = new StringWriter();
    int code = OrdererMain.run(args, env, new PrintWriter(err, true));
    return new Outcome(code, err.toString());
  }

  @Test
  void aMissingConfigFileIsOneLineNamingThePathAndExitCode1(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");
    Outcome o = run(Map.of(), "--config", missing.toString());
    assertThat(o.code()).isEqualTo(OrdererMain.START_FAILED);
    assertThat(o.err().lines()).singleElement().asString().contains(missing.toString());
  }

  @Test
  void withoutConfigFlagTheFileComesFromFabricCfgPath(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("orderer.yaml"), "General:\n  NoSuchKey: 1\n");
    Outcome o = run(Map.of("FABRIC_CFG_PATH", dir.toString()));
    assertThat(o.code()).isEqualTo(OrdererMain.START_FAILED);
    assertThat(o.err().lines()).singleElement().asString().contains("General.NoSuchKey");
  }

  @Test
  void tlsOffIsRefusedNamingTheKey(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("orderer.yaml"), "General:\n  TLS:\n    Enabled: false\n");
    Outcome o = run(Map.of(), "--config=" + dir.resolve("orderer.yaml"));
    assertThat(o.code()).isEqualTo(OrdererMain.START_FAILED);
    assertThat(o.err().lines()).singleElement().asString().contains("General.TLS.Enabled");
  }

  /**
   * A node whose data folder cannot hold data does not start: one line names the key and the folder
   * (the rest of its orderer.yaml is a working node's, from {@link TestNetwork}).
   */
  @ParameterizedTest
  @CsvSource({
    "ORDERER_CONSENSUS_WALDIR, Consensus.WALDir, file, 'is a file, not a folder'",
    "ORDERER_CONSENSUS_WALDIR, Consensus.WALDir, proc, 'is on a kernel file system (proc),"
        + " which keeps no data'",
    "ORDERER_CONSENSUS_SNAPDIR, Consensus.SnapDir, file, 'is a file, not a folder'",
    "ORDERER_FILELEDGER_LOCATION, FileLedger.Location, proc, 'is on a kernel file system"
        + " (proc), which keeps no data'"
  })
  void anUnusableDataFolderStopsTheStartNamingTheKeyAndTheFolder(
      String variable, String key, String kind, String problem, @TempDir Path dir)
      throws Exception {
    Path folder;
    if (kind.equals("file")) {
      folder = Files.writeString(dir.resolve("not-a-folder"), "data");
    } else {
      folder = Path.of("/proc/ordo-" + kind + "-" + ProcessHandle.current().pid());
    }
    try (TestNetwork network =
        new TestNetwork(dir, 1, Duration.ofMillis(100), Duration.ofMillis(100), 5)) {
      String config = network.nodeDir(1).resolve("orderer.yaml").toString();
      // a node that does start runs until stopped: the wait is bounded, not the run
      Outcome o =
          CompletableFuture.supplyAsync(
                  () -> run(Map.of(variable, folder.toString()), "--config", config))
              .get(30, TimeUnit.SECONDS);
      assertThat(o.code()).isEqualTo(OrdererMain.START_FAILED);
      assertThat(o.err().lines())
          .singleElement()
          .asString()
          .isEqualTo("orderer: cannot start: " + key + ": " + folder + " " + problem);
    }
    if (kind.equals("file")) {
      assertThat(Files.readString(folder)).isEqualTo("data");
    }
  }

  /**
   * A listener that cannot listen (its port taken) or a TLS file that cannot be read stops the
   * start with one line naming the orderer.yaml keys, in words rather than Java's exception names
   * (the rest of the orderer.yaml is a working node's, from {@link TestNetwork}).
   */
  @ParameterizedTest
  @CsvSource({
    "ORDERER_GENERAL_CLUSTER_LISTENPORT, PORT, General.Cluster.ListenAddress/ListenPort",
    "ORDERER_ADMIN_LISTENADDRESS, 127.0.0.1:PORT, Admin.ListenAddress",
    "ORDERER_OPERATIONS_LISTENADDRESS, 127.0.0.1:PORT, Operations.ListenAddress",
    "ORDERER_GENERAL_TLS_PRIVATEKEY, MISSING, General.TLS.PrivateKey",
    "ORDERER_GENERAL_TLS_ROOTCAS, [MISSING], General.TLS.RootCAs"
  })
  void aListenerThatCannotListenOrAnUnreadableTlsFileIsOneLineNamingTheKey(
      String variable, String value, String key, @TempDir Path dir) throws Exception {
    try (java.net.ServerSocket taken =
            new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        TestNetwork network =
            new TestNetwork(dir, 1, Duration.ofMillis(100), Duration.ofMillis(100), 5)) {
      String bad =
          value
              .replace("PORT", Integer.toString(taken.getLocalPort()))
              .replace("MISSING", dir.resolve("missing.pem").toString());
      String config = network.nodeDir(1).resolve("orderer.yaml").toString();
      Outcome o =
          CompletableFuture.supplyAsync(() -> run(Map.of(variable, bad), "--config", config))
              .get(30, TimeUnit.SECONDS);
      assertThat(o.code()).isEqualTo(OrdererMain.START_FAILED);
      assertThat(o.err().lines())
          .singleElement()
          .asString()
          .startsWith("orderer: cannot start: " + key + ": ")
          .containsAnyOf("in use", "no such file")
          .doesNotContain("Exception");
    }
  }

  @Test
  void aBadLoggingSpecOrFormatStopsTheStartInOneLineAsFabricsWordsHaveIt() {
    Outcome spec = run(Map.of("FABRIC_LOGGING_SPEC", "chatty"));
    assertThat(spec.code()).isEqualTo(OrdererMain.START_FAILED);
    assertThat(spec.err().lines())
        .singleElement()
        .asString()
        .isEqualTo(
            "orderer: cannot start: invalid logging specification 'chatty': bad segment 'chatty'");

    Outcome format = run(Map.of("FABRIC_LOGGING_FORMAT", "%{color:blink}%{message}"));
    assertThat(format.code()).isEqualTo(OrdererMain.START_FAILED);
    assertThat(format.err().lines())
        .singleElement()
        .asString()
        .isEqualTo("orderer: cannot start: invalid color option: blink");
  }

  @Test
  void anUnknownArgumentIsAUsageError() {
    Outcome o = run(Map.of(), "--bogus");
    assertThat(o.code()).isEqualTo(OrdererMain.USAGE);
    assertThat(o.err()).contains("unknown argument '--bogus'").contains("usage");
  }

  @Test
  void nettyLeakSamplingIsOffUnlessTheOperatorChoseALevel() {
    String before = System.getProperty(OrdererMain.NETTY_LEAK_DETECTION);
    try {
      System.clearProperty(OrdererMain.NETTY_LEAK_DETECTION);
      OrdererMain.quietNettyLeakDetection();
      assertThat(System.getProperty(OrdererMain.NETTY_LEAK_DETECTION)).isEqualTo("disabled");

      System.setProperty(OrdererMain.NETTY_LEAK_DETECTION, "paranoid");
      OrdererMain.quietNettyLeakDetection();
      assertThat(System.getProperty(OrdererMain.NETTY_LEAK_DETECTION)).isEqualTo("paranoid");
    } finally {
      if (before == null) {
        System.clearProperty(OrdererMain.NETTY_LEAK_DETECTION);
      } else {
        System.setProperty(OrdererMain.NETTY_LEAK_DETECTION, before);
      }
    }
  }
}

package io.ordo.orderer.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fault matrix's bad orderer.yaml values: a node process started from a working orderer.yaml
 * with one value made bad (through Fabric's {@code ORDERER_SECTION_KEY} environment override, or in
 * the file) must stop with exit code 1 and one line on stderr that names the key, before it serves
 * anything, and print no stack trace.
 */
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadConfigFaultsTest {
  /** A node that does start would run until stopped: the wait for its exit is bounded. */
  private static final long EXIT_SECONDS = 60;

  @TempDir static Path dir;
  private ClusterFiles files;
  private ServerSocket busy;

  @BeforeAll
  void writeFiles() throws IOException {
    files = new ClusterFiles(dir.resolve("cluster"), ClusterSettings.threeNodes());
    busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Files.writeString(dir.resolve("a-file"), "not a folder");
    Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n");
  }

  @AfterAll
  void release() throws IOException {
    busy.close();
  }

  /**
   * Key named in the line, environment variable (or {@code yaml:SECTION} and the line put first in
   * that section of the file: Fabric takes no override from an empty variable, nor for a Consensus
   * key the file lacks, and puts its default in place of an empty value), and the bad value; {@code
   * $FILE}, {@code $GARBAGE_PEM}, {@code $BUSY} and {@code $PROC} stand for a regular file, a PEM
   * file that is none, a loopback port in use and a folder under /proc.
   */
  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("General.ListenPort", "ORDERER_GENERAL_LISTENPORT", "seventy"),
        Arguments.of("General.ListenPort", "ORDERER_GENERAL_LISTENPORT", "70000"),
        Arguments.of("General.ListenPort", "ORDERER_GENERAL_LISTENPORT", "-1"),
        Arguments.of("General.ListenAddress/ListenPort", "ORDERER_GENERAL_LISTENPORT", "$BUSY"),
        Arguments.of(
            "General.ListenAddress/ListenPort", "ORDERER_GENERAL_LISTENADDRESS", "256.0.0.1"),
        Arguments.of("General.TLS.Enabled", "ORDERER_GENERAL_TLS_ENABLED", "false"),
        Arguments.of("General.TLS.Enabled", "ORDERER_GENERAL_TLS_ENABLED", "maybe"),
        Arguments.of("General.TLS.PrivateKey", "ORDERER_GENERAL_TLS_PRIVATEKEY", "/nonexistent/k"),
        Arguments.of("General.TLS.Certificate", "ORDERER_GENERAL_TLS_CERTIFICATE", "$GARBAGE_PEM"),
        Arguments.of("General.TLS.RootCAs", "ORDERER_GENERAL_TLS_ROOTCAS", "[/nonexistent/ca]"),
        Arguments.of("General.MaxRecvMsgSize", "ORDERER_GENERAL_MAXRECVMSGSIZE", "-5"),
        Arguments.of("General.MaxSendMsgSize", "ORDERER_GENERAL_MAXSENDMSGSIZE", "lots"),
        Arguments.of("General.Cluster.ListenPort", "ORDERER_GENERAL_CLUSTER_LISTENPORT", "x"),
        Arguments.of(
            "General.Cluster.ListenAddress/ListenPort",
            "ORDERER_GENERAL_CLUSTER_LISTENPORT",
            "$BUSY"),
        Arguments.of(
            "General.Cluster.SendBufferSize", "ORDERER_GENERAL_CLUSTER_SENDBUFFERSIZE", "-1"),
        Arguments.of(
            "General.Cluster.ClientPrivateKey",
            "ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY",
            "$GARBAGE_PEM"),
        Arguments.of(
            "General.Keepalive.ServerMinInterval",
            "ORDERER_GENERAL_KEEPALIVE_SERVERMININTERVAL",
            "soon"),
        Arguments.of("General.BootstrapMethod", "ORDERER_GENERAL_BOOTSTRAPMETHOD", "file"),
        Arguments.of("General.BootstrapMethod", "ORDERER_GENERAL_BOOTSTRAPMETHOD", "bogus"),
        Arguments.of("General.LocalMSPDir", "ORDERER_GENERAL_LOCALMSPDIR", "/nonexistent/msp"),
        Arguments.of("General.LocalMSPID", "yaml:General", "  LocalMSPID: [a, b]"),
        Arguments.of(
            "General.Authentication.TimeWindow", "ORDERER_GENERAL_AUTHENTICATION_TIMEWINDOW", "x"),
        Arguments.of("General.BCCSP.Default", "ORDERER_GENERAL_BCCSP_DEFAULT", "PKCS11"),
        Arguments.of("FileLedger.Location", "ORDERER_FILELEDGER_LOCATION", "$FILE"),
        Arguments.of("FileLedger.Location", "ORDERER_FILELEDGER_LOCATION", "$PROC"),
        Arguments.of("Consensus.WALDir", "ORDERER_CONSENSUS_WALDIR", "$PROC"),
        Arguments.of("Consensus.SnapDir", "ORDERER_CONSENSUS_SNAPDIR", "$FILE"),
        Arguments.of("Consensus.EvictionSuspicion", "yaml:Consensus", "  EvictionSuspicion: never"),
        Arguments.of("Operations.ListenAddress", "ORDERER_OPERATIONS_LISTENADDRESS", "no-port"),
        Arguments.of(
            "Operations.ListenAddress", "ORDERER_OPERATIONS_LISTENADDRESS", "127.0.0.1:$BUSY"),
        Arguments.of("Admin.ListenAddress", "ORDERER_ADMIN_LISTENADDRESS", "127.0.0.1:99999"),
        Arguments.of("Admin.ListenAddress", "ORDERER_ADMIN_LISTENADDRESS", "127.0.0.1:$BUSY"),
        Arguments.of(
            "ChannelParticipation.MaxRequestBodySize",
            "ORDERER_CHANNELPARTICIPATION_MAXREQUESTBODYSIZE",
            "huge"),
        Arguments.of("General.NoSuchKey", "yaml:General", "  NoSuchKey: 1"),
        Arguments.of("General.ListenPort", "yaml:General", "  ListenPort: [1, 2]"));
  }

  @ParameterizedTest(name = "{0} = {2}")
  @MethodSource("badValues")
  void aBadValueStopsTheStartWithOneLineNamingTheKey(String key, String variable, String value)
      throws Exception {
    Path yaml = files.ordererYaml(1);
    String bad = substitute(value);
    Map<String, String> env = Map.of();
    if (variable.startsWith("yaml:")) {
      yaml = dir.resolve("edited-" + Math.abs(bad.hashCode()) + ".yaml");
      String text = Files.readString(files.ordererYaml(1));
      // the line goes first under its section, replacing the key it names when the file has it
      String section = variable.substring("yaml:".length());
      String name = bad.strip().substring(0, bad.strip().indexOf(':'));
      text =
          text.replaceFirst("(?m)^  " + name + ":.*\\n", "")
              .replaceFirst("(?m)^" + section + ":\\n", section + ":\n" + bad + "\n");
      Files.writeString(yaml, text);
    } else {
      env = Map.of(variable, bad);
    }
    ProcessBuilder b =
        new ProcessBuilder(NodeProcess.command(yaml))
            .directory(yaml.getParent().toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(dir.resolve("out.txt").toFile())
            .redirectError(dir.resolve("err.txt").toFile());
    b.environment().remove("FABRIC_CFG_PATH");
    b.environment().putAll(env);
    long started = System.nanoTime();
    Process p = b.start();
    boolean ended = p.waitFor(EXIT_SECONDS, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String out = read(dir.resolve("out.txt"));
    List<String> err = read(dir.resolve("err.txt")).lines().filter(l -> !l.isBlank()).toList();
    System.out.printf(
        "badConfig: %s = '%s': exit %s in %d ms, stderr %s%n",
        key,
        value,
        ended ? Integer.toString(p.exitValue()) : "none (still running)",
        (System.nanoTime() - started) / 1_000_000,
        err);
    assertThat(ended).as("the node with %s = %s stopped by itself", key, value).isTrue();
    assertThat(p.exitValue()).as("exit code; stderr %s", err).isEqualTo(1);
    assertThat(err).as("stderr").singleElement().asString().contains(key);
    assertThat(LogScan.suspectLines(out + String.join("\n", err), 5)).as("stack traces").isEmpty();
  }

  private String substitute(String value) {
    return value
        .replace("$FILE", dir.resolve("a-file").toString())
        .replace("$GARBAGE_PEM", dir.resolve("garbage.pem").toString())
        .replace("$BUSY", Integer.toString(busy.getLocalPort()))
        .replace("$PROC", "/proc/ordo-bad-config");
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

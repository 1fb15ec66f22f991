package io.ordo.orderer.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrdererMainTest {
  private record Outcome(int code, String err) {}

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

package io.ordo.orderer.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

class IgnoredKeysTest {
  @TempDir Path dir;

  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private final Logger loaderLog = (Logger) LoggerFactory.getLogger(LocalConfigLoader.class);

  @BeforeEach
  void capture() {
    events.start();
    loaderLog.addAppender(events);
  }

  @AfterEach
  void release() {
    loaderLog.detachAppender(events);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = IgnoredKeysTest.class.getResourceAsStream("/config/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private LocalConfig load(String yaml, Map<String, String> env) throws IOException {
    Files.writeString(dir.resolve("orderer.yaml"), yaml);
    return new LocalConfigLoader(env, dir).load(Optional.of("orderer.yaml"));
  }

  private List<String> warnings() {
    return events.list.stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  /** Fabric's sample values ask for nothing Ordo leaves undone: no warning at all. */
  @ParameterizedTest
  @ValueSource(strings = {"orderer-all-sections.yaml", "orderer-every-key.yaml"})
  void fabricsSampleAndDefaultValuesWarnOfNothing(String file) throws IOException {
    LocalConfig c = load(resource(file), Map.of());
    assertThat(IgnoredKeys.in(c)).isEmpty();
    assertThat(warnings())
        .noneMatch(w -> w.contains("does not act on"))
        .noneMatch(w -> w.contains("Metrics.Provider"));
  }

  /** The keystore Fabric would use anyway (LocalMSPDir/keystore) is no reason to warn. */
  @Test
  void aKeyStoreThatIsTheMspsOwnIsNoWarning() throws IOException {
    LocalConfig c =
        load(
            resource("orderer-all-sections.yaml"),
            Map.of("ORDERER_GENERAL_BCCSP_SW_FILEKEYSTORE_KEYSTORE", "msp/keystore"));
    assertThat(IgnoredKeys.in(c)).isEmpty();
  }

  @Test
  void eachKeySetToAValueOrdoDoesNotActOnIsWarnedOnceByName() throws IOException {
    Map<String, String> env =
        Map.ofEntries(
            Map.entry("ORDERER_GENERAL_CONNECTIONTIMEOUT", "3s"),
            Map.entry("ORDERER_GENERAL_TLS_TLSHANDSHAKETIMESHIFT", "1h"),
            Map.entry("ORDERER_GENERAL_CLUSTER_TLSHANDSHAKETIMESHIFT", "1h"),
            Map.entry("ORDERER_GENERAL_PROFILE_ENABLED", "true"),
            Map.entry("ORDERER_GENERAL_BCCSP_SW_FILEKEYSTORE_KEYSTORE", "/etc/keys"),
            Map.entry("ORDERER_DEBUG_BROADCASTTRACEDIR", "trace/broadcast"),
            Map.entry("ORDERER_DEBUG_DELIVERTRACEDIR", "trace/deliver"),
            Map.entry("ORDERER_OPERATIONS_TLS_TLSHANDSHAKETIMESHIFT", "1h"),
            Map.entry("ORDERER_ADMIN_TLS_TLSHANDSHAKETIMESHIFT", "1h"));
    LocalConfig c = load(resource("orderer-all-sections.yaml"), env);

    assertThat(IgnoredKeys.in(c))
        .extracting(IgnoredKeys.Ignored::key)
        .containsExactlyElementsOf(IgnoredKeys.keys());
    List<String> warnings = warnings();
    for (String key : IgnoredKeys.keys()) {
      assertThat(warnings)
          .as("warnings naming %s", key)
          .filteredOn(w -> w.startsWith(key + " is set but Ordo does not act on it: "))
          .hasSize(1);
    }
  }

  /** The threshold is honoured now (certificate expiry warnings): setting it is no warning. */
  @Test
  void theCertificateExpiryWarningThresholdIsActedOnAndNotWarned() throws IOException {
    LocalConfig c =
        load(
            resource("orderer-all-sections.yaml"),
            Map.of("ORDERER_GENERAL_CLUSTER_CERTEXPIRATIONWARNINGTHRESHOLD", "72h"));
    assertThat(c.general().cluster().certExpirationWarningThreshold())
        .isEqualTo(java.time.Duration.ofHours(72));
    assertThat(IgnoredKeys.in(c)).isEmpty();
    assertThat(IgnoredKeys.keys()).doesNotContain("General.Cluster.CertExpirationWarningThreshold");
  }

  /** As Fabric's orderer: an unknown provider disables metrics, with a warning, not a refusal. */
  @Test
  void anUnknownMetricsProviderDisablesMetricsWithAWarning() throws IOException {
    LocalConfig c =
        load(resource("orderer-all-sections.yaml"), Map.of("ORDERER_METRICS_PROVIDER", "graphite"));
    assertThat(c.metrics().provider()).isEqualTo("disabled");
    assertThat(warnings()).contains("Metrics.Provider 'graphite' is unknown; metrics disabled");
  }

  /** As Fabric's orderer: a replication policy other than its two becomes its default. */
  @Test
  void anUnknownReplicationPolicyBecomesFabricsDefault() throws IOException {
    LocalConfig c =
        load(
            resource("orderer-all-sections.yaml"),
            Map.of("ORDERER_GENERAL_CLUSTER_REPLICATIONPOLICY", "fancy"));
    assertThat(c.general().cluster().replicationPolicy()).isEqualTo("consensus");
  }
}

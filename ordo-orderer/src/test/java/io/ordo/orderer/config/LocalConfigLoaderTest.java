package io.ordo.orderer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalConfigLoaderTest {
  @TempDir Path dir;

  /** An orderer.yaml with every section of Fabric v3.0's layout (see the file's header). */
  private static String allSections() throws IOException {
    try (InputStream in =
        LocalConfigLoaderTest.class.getResourceAsStream("/config/orderer-all-sections.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private Path write(String yaml) throws IOException {
    Path f = dir.resolve("orderer.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  private LocalConfig load(String yaml, Map<String, String> env) throws IOException {
    write(yaml);
    return new LocalConfigLoader(env, dir).load(Optional.of("orderer.yaml"));
  }

  private LocalConfig loadAllSections(Map<String, String> env) throws IOException {
    return load(allSections(), env);
  }

  @Test
  void aFileWithEverySectionLoadsWithItsValuesAndPathsRelativeToItsDirectory() throws IOException {
    LocalConfig c = loadAllSections(Map.of());
    GeneralConfig g = c.general();
    assertThat(c.configFile()).isEqualTo(dir.resolve("orderer.yaml"));
    assertThat(g.listenAddress()).isEqualTo("127.0.0.1");
    assertThat(g.listenPort()).isEqualTo(7050);
    assertThat(g.tls().enabled()).isFalse();
    assertThat(g.tls().privateKey()).contains(dir.resolve("tls/server.key"));
    assertThat(g.tls().certificate()).contains(dir.resolve("tls/server.crt"));
    assertThat(g.tls().rootCas()).containsExactly(dir.resolve("tls/ca.crt"));
    assertThat(g.tls().clientRootCas()).isEmpty();
    assertThat(g.keepalive())
        .isEqualTo(
            new KeepaliveConfig(
                Duration.ofSeconds(60), Duration.ofSeconds(7200), Duration.ofSeconds(20)));
    assertThat(g.backoff())
        .isEqualTo(new BackoffConfig(Duration.ofSeconds(1), 1.6, Duration.ofMinutes(2)));
    assertThat(g.maxRecvMsgSize()).isEqualTo(104857600);
    assertThat(g.maxSendMsgSize()).isEqualTo(104857600);
    ClusterConfig cl = g.cluster();
    assertThat(cl.hasSeparateListener()).isFalse();
    assertThat(cl.sendBufferSize()).isEqualTo(100);
    assertThat(cl.dialTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(cl.rpcTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(cl.replicationBufferSize()).isEqualTo(20 * 1024 * 1024);
    assertThat(cl.replicationMaxRetries()).isEqualTo(12);
    assertThat(cl.certExpirationWarningThreshold()).isEqualTo(Duration.ofDays(7));
    assertThat(cl.clientCertificate()).isEmpty();
    assertThat(g.bootstrapMethod()).isEqualTo("none");
    assertThat(g.bootstrapFile()).isEmpty();
    assertThat(g.localMspDir()).isEqualTo(dir.resolve("msp"));
    assertThat(g.localMspId()).isEqualTo("SampleOrg");
    assertThat(g.bccsp().keyStore()).isEmpty();
    assertThat(g.authentication().timeWindow()).isEqualTo(Duration.ofMinutes(15));
    assertThat(g.throttling()).isEqualTo(new ThrottlingConfig(0, Duration.ofSeconds(5)));
    assertThat(c.fileLedger().location()).isEqualTo(Path.of("/var/hyperledger/production/orderer"));
    assertThat(c.debug().broadcastTraceDir()).isEmpty();
    assertThat(c.operations().listenAddress()).isEqualTo("127.0.0.1:8443");
    assertThat(c.metrics().provider()).isEqualTo("disabled");
    assertThat(c.metrics().statsdWriteInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.admin().listenAddress()).isEqualTo("127.0.0.1:9443");
    assertThat(c.admin().tls().clientAuthRequired()).isTrue();
    assertThat(c.channelParticipation()).isEqualTo(new ChannelParticipationConfig(true, 1 << 20));
    assertThat(c.consensus().walDir())
        .isEqualTo(Path.of("/var/hyperledger/production/orderer/etcdraft/wal"));
    assertThat(c.consensus().snapDir())
        .isEqualTo(Path.of("/var/hyperledger/production/orderer/etcdraft/snapshot"));
    assertThat(c.consensus().evictionSuspicion()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.consensus().tickIntervalOverride()).isEmpty();
  }

  /** Fabric's orderer starts from this file (the interop suite shows it); so must Ordo. */
  @Test
  void aFileWithEveryKeyFabricReadsLoadsTheDeprecatedOnesIncluded() throws IOException {
    String everyKey;
    try (InputStream in =
        LocalConfigLoaderTest.class.getResourceAsStream("/config/orderer-every-key.yaml")) {
      everyKey = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    LocalConfig c = load(everyKey, Map.of());
    assertThat(c.general().bootstrapMethod()).isEqualTo("none");
    assertThat(c.general().bootstrapFile()).contains(dir.resolve("genesisblock"));
    assertThat(c.admin().tls().handshakeTimeShift()).isZero();
  }

  @Test
  void theDeprecatedGenesisMethodAndFileStandInForUnsetBootstrapKeysAsInFabric()
      throws IOException {
    GeneralConfig g =
        load("General:\n  GenesisMethod: none\n  GenesisFile: old.block\n", Map.of()).general();
    assertThat(g.bootstrapMethod()).isEqualTo("none");
    assertThat(g.bootstrapFile()).contains(dir.resolve("old.block"));
    GeneralConfig set =
        load(
                "General:\n  BootstrapMethod: none\n  BootstrapFile: new.block\n"
                    + "  GenesisMethod: file\n  GenesisFile: old.block\n",
                Map.of())
            .general();
    assertThat(set.bootstrapMethod()).isEqualTo("none");
    assertThat(set.bootstrapFile()).contains(dir.resolve("new.block"));
    assertThatThrownBy(() -> load("General:\n  GenesisMethod: file\n", Map.of()))
        .isInstanceOfSatisfying(
            LocalConfigException.class,
            e -> assertThat(e.key()).isEqualTo("General.BootstrapMethod"));
    assertThatThrownBy(
            () ->
                load("FileLedger:\n  Prefix: x\n", Map.of("ORDERER_GENERAL_GENESISMETHOD", "file")))
        .isInstanceOfSatisfying(
            LocalConfigException.class,
            e -> assertThat(e.key()).isEqualTo("General.BootstrapMethod"));
  }

  @Test
  void environmentVariablesOverrideNestedKeysWithListsAndSizesParsedAsFabricDoes()
      throws IOException {
    LocalConfig c =
        loadAllSections(
            Map.of(
                "ORDERER_GENERAL_TLS_ENABLED", "true",
                "ORDERER_GENERAL_LISTENPORT", "7060",
                "ORDERER_GENERAL_TLS_ROOTCAS", "[ca/one.pem, /etc/two.pem ]",
                "ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE", "cluster/client.crt",
                "ORDERER_GENERAL_CLUSTER_RPCTIMEOUT", "3s",
                "ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED", "false",
                "ORDERER_CHANNELPARTICIPATION_MAXREQUESTBODYSIZE", "2 MB",
                "ORDERER_GENERAL_TLS_CLIENTROOTCAS", "single.pem",
                "ORDERER_CONSENSUS_WALDIR", "wal"));
    GeneralConfig g = c.general();
    assertThat(g.tls().enabled()).isTrue();
    assertThat(g.listenPort()).isEqualTo(7060);
    assertThat(g.tls().rootCas())
        .containsExactly(dir.resolve("ca/one.pem"), Path.of("/etc/two.pem"));
    assertThat(g.tls().clientRootCas()).containsExactly(dir.resolve("single.pem"));
    assertThat(g.cluster().clientCertificate()).contains(dir.resolve("cluster/client.crt"));
    assertThat(g.cluster().rpcTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.admin().tls().clientAuthRequired()).isFalse();
    assertThat(c.channelParticipation().maxRequestBodySize()).isEqualTo(2L << 20);
    assertThat(c.consensus().walDir()).isEqualTo(dir.resolve("wal"));
  }

  @Test
  void anOverrideOfAConsensusKeyAbsentFromTheFileIsIgnoredAsFabricIgnoresIt() throws IOException {
    LocalConfig c =
        load(
            "Consensus:\n  WALDir: /w\n",
            Map.of("ORDERER_CONSENSUS_SNAPDIR", "/s", "ORDERER_CONSENSUS_WALDIR", "/w2"));
    assertThat(c.consensus().walDir()).isEqualTo(Path.of("/w2"));
    assertThat(c.consensus().snapDir())
        .isEqualTo(Path.of("/var/hyperledger/production/orderer/etcdraft/snapshot"));
  }

  @Test
  void ordosLeadershipFeaturesAreOnByDefaultAndEachTurnsOff() throws IOException {
    assertThat(load("", Map.of()).consensus().leadership()).isEqualTo(LeadershipConfig.DEFAULTS);
    LocalConfig c =
        load(
            "Consensus:\n  FastFailover: false\n  BalanceLeaders: false\n  LeaderWait: 0s\n",
            Map.of(
                "ORDERER_CONSENSUS_HANDOFFONSTOP", "false",
                "ORDERER_CONSENSUS_BALANCESETTLETIME", "30s"));
    assertThat(c.consensus().leadership())
        .isEqualTo(
            new LeadershipConfig(false, false, false, Duration.ofSeconds(30), Duration.ZERO));
  }

  @Test
  void ledgerPruningIsOffByDefaultAndSetUnderFileLedgerOrThroughTheEnvironment()
      throws IOException {
    assertThat(load("", Map.of()).fileLedger().prune()).isEqualTo(PruneConfig.OFF);
    assertThat(PruneConfig.OFF.enabled()).isFalse();
    LocalConfig c =
        load(
            "FileLedger:\n  Location: data\n  Prune:\n    KeepBlocks: 1000\n    Interval: 30s\n"
                + "    BlockFileSize: 1 MB\n",
            Map.of());
    assertThat(c.fileLedger().prune())
        .isEqualTo(new PruneConfig(1000, Duration.ofSeconds(30), 1024 * 1024));
    assertThat(c.fileLedger().prune().enabled()).isTrue();
    LocalConfig env = load("", Map.of("ORDERER_FILELEDGER_PRUNE_KEEPBLOCKS", "50"));
    assertThat(env.fileLedger().prune())
        .isEqualTo(new PruneConfig(50, PruneConfig.DEFAULT_INTERVAL));
  }

  @Test
  void keysInTheFileMatchCaseInsensitively() throws IOException {
    LocalConfig c =
        load(
            "general:\n  listenport: 8050\n  tls:\n    ENABLED: true\n    certificate: a.crt\n    privatekey: a.key\n",
            Map.of());
    assertThat(c.general().listenPort()).isEqualTo(8050);
    assertThat(c.general().tls().enabled()).isTrue();
    assertThat(c.general().tls().certificate()).contains(dir.resolve("a.crt"));
  }

  @Test
  void anEmptyFileGivesFabricsCodeDefaultsAndZeroValuesAreReplaced() throws IOException {
    LocalConfig c =
        load("General:\n  Cluster:\n    RPCTimeout: 0s\n    SendBufferSize: 0\n", Map.of());
    assertThat(c.general().cluster().rpcTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(c.general().cluster().sendBufferSize()).isEqualTo(100);
    assertThat(c.general().listenPort()).isEqualTo(7050);
    assertThat(c.general().localMspId()).isEqualTo("SampleOrg");
    assertThat(c.operations().listenAddress()).isEqualTo("127.0.0.1:0");
    assertThat(c.admin().listenAddress()).isEqualTo("127.0.0.1:0");
    assertThat(c.general().tls().rootCas()).isEmpty();
  }

  @Test
  void theFileIsFoundThroughFabricCfgPath() throws IOException {
    Path cfg = Files.createDirectories(dir.resolve("cfg"));
    Files.writeString(cfg.resolve("orderer.yaml"), "General:\n  LocalMSPDir: ../msp\n");
    LocalConfig c =
        new LocalConfigLoader(Map.of("FABRIC_CFG_PATH", cfg.toString()), dir)
            .load(Optional.empty());
    assertThat(c.configFile()).isEqualTo(cfg.resolve("orderer.yaml"));
    assertThat(c.general().localMspDir()).isEqualTo(dir.resolve("msp"));
  }

  @Test
  void theConfigFlagMayNameTheDirectory() throws IOException {
    write("");
    LocalConfig c = new LocalConfigLoader(Map.of(), dir).load(Optional.of(dir.toString()));
    assertThat(c.configFile()).isEqualTo(dir.resolve("orderer.yaml"));
  }

  @Test
  void aMissingFileIsAnErrorNamingThePath() {
    var loader = new LocalConfigLoader(Map.of("FABRIC_CFG_PATH", dir.toString()), dir);
    assertThatThrownBy(() -> loader.load(Optional.empty()))
        .isInstanceOfSatisfying(
            LocalConfigException.class,
            e -> assertThat(e.key()).isEqualTo(dir.resolve("orderer.yaml").toString()));
    assertThatThrownBy(() -> loader.load(Optional.of("nope.yaml")))
        .isInstanceOf(LocalConfigException.class)
        .hasMessageContaining(dir.resolve("nope.yaml").toString());
  }

  @Test
  void invalidYamlIsAnErrorNamingTheFile() throws IOException {
    assertThatThrownBy(() -> load("General: [unclosed\n", Map.of()))
        .isInstanceOfSatisfying(
            LocalConfigException.class,
            e -> assertThat(e.key()).isEqualTo(dir.resolve("orderer.yaml").toString()));
  }

  @Test
  void anUnknownKeyIsAnErrorNamingIt() throws IOException {
    assertThatThrownBy(
            () ->
                load(
                    allSections()
                        .replace(
                            "    ListenPort: 7050\n", "    ListenPort: 7050\n    ListenPortt: 1\n"),
                    Map.of()))
        .isInstanceOfSatisfying(
            LocalConfigException.class, e -> assertThat(e.key()).isEqualTo("General.ListenPortt"));
    assertThatThrownBy(() -> load("Kafka:\n  Verbose: true\n", Map.of()))
        .isInstanceOfSatisfying(
            LocalConfigException.class, e -> assertThat(e.key()).isEqualTo("Kafka"));
    assertThatThrownBy(() -> load("Consensus:\n  WALdir: /a\n  Bogus: 1\n", Map.of()))
        .isInstanceOfSatisfying(
            LocalConfigException.class, e -> assertThat(e.key()).isEqualTo("Consensus.Bogus"));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "General.TLS.Enabled | yes",
        "General.ListenPort | 70000",
        "General.ListenPort | seven",
        "General.Keepalive.ServerTimeout | 20 seconds",
        "General.Cluster.RPCTimeout | -1s",
        "General.Backoff.Multiplier | 0.5",
        "ChannelParticipation.MaxRequestBodySize | 8 GB",
        "ChannelParticipation.MaxRequestBodySize | 1 TB",
        "General.BootstrapMethod | file",
        "General.BootstrapMethod | magic",
        "General.BCCSP.Default | PKCS11",
        "General.BCCSP.SW.Security | 384",
        "Consensus.EvictionSuspicion | soon",
        "Consensus.TickIntervalOverride | 0s",
        "Consensus.FastFailover | sometimes",
        "Consensus.BalanceSettleTime | -5s",
        "Consensus.LeaderWait | -1s",
        "Consensus.LeaderWait | a while",
        "FileLedger.Prune.KeepBlocks | -5",
        "FileLedger.Prune.KeepBlocks | many",
        "FileLedger.Prune.Interval | -1m",
        "FileLedger.Prune.BlockFileSize | 10",
      })
  void aBadValueIsAnErrorNamingItsKey(String key, String value) throws IOException {
    String env = "ORDERER_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
    String yaml =
        allSections()
            .replace(
                "    SnapDir:",
                "    EvictionSuspicion: 10m\n    TickIntervalOverride: 1s\n    SnapDir:");
    assertThatThrownBy(() -> load(yaml, Map.of(env, value)))
        .isInstanceOfSatisfying(
            LocalConfigException.class, e -> assertThat(e.key()).isEqualTo(key));
  }

  @Test
  void fabricsStartUpRulesAreErrorsNamingTheKey() throws IOException {
    assertThatThrownBy(
            () ->
                loadAllSections(
                    Map.of(
                        "ORDERER_ADMIN_TLS_ENABLED", "true",
                        "ORDERER_ADMIN_TLS_CERTIFICATE", "a.crt",
                        "ORDERER_ADMIN_TLS_PRIVATEKEY", "a.key",
                        "ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED", "false")))
        .isInstanceOfSatisfying(
            LocalConfigException.class,
            e -> assertThat(e.key()).isEqualTo("Admin.TLS.ClientAuthRequired"));
    assertThatThrownBy(() -> loadAllSections(Map.of("ORDERER_GENERAL_CLUSTER_LISTENPORT", "7051")))
        .isInstanceOfSatisfying(
            LocalConfigException.class,
            e -> assertThat(e.key()).isEqualTo("General.Cluster.ListenAddress"));
    assertThatThrownBy(
            () -> load("General:\n  TLS:\n    Enabled: true\n    Certificate: c.crt\n", Map.of()))
        .isInstanceOfSatisfying(
            LocalConfigException.class,
            e -> assertThat(e.key()).isEqualTo("General.TLS.PrivateKey"));
  }

  @Test
  void aSeparateClusterListenerNeedsAllFourKeys() throws IOException {
    LocalConfig c =
        loadAllSections(
            Map.of(
                "ORDERER_GENERAL_CLUSTER_LISTENPORT", "7051",
                "ORDERER_GENERAL_CLUSTER_LISTENADDRESS", "0.0.0.0",
                "ORDERER_GENERAL_CLUSTER_SERVERCERTIFICATE", "c/server.crt",
                "ORDERER_GENERAL_CLUSTER_SERVERPRIVATEKEY", "c/server.key"));
    assertThat(c.general().cluster().hasSeparateListener()).isTrue();
    assertThat(c.general().cluster().serverCertificate()).contains(dir.resolve("c/server.crt"));
  }

  @Test
  void aSectionWhereAValueBelongsAndTheReverseAreErrors() throws IOException {
    assertThatThrownBy(() -> load("General:\n  ListenPort:\n    x: 1\n", Map.of()))
        .isInstanceOfSatisfying(
            LocalConfigException.class, e -> assertThat(e.key()).isEqualTo("General.ListenPort"));
    assertThatThrownBy(() -> load("General:\n  TLS: true\n", Map.of()))
        .isInstanceOfSatisfying(
            LocalConfigException.class, e -> assertThat(e.key()).isEqualTo("General.TLS"));
    assertThatThrownBy(() -> load("General:\n  ListenAddress: [a, b]\n", Map.of()))
        .isInstanceOfSatisfying(
            LocalConfigException.class,
            e -> assertThat(e.key()).isEqualTo("General.ListenAddress"));
  }

  @Test
  void goValueSyntaxes() {
    assertThat(GoValues.parseList("[a, b ,c]")).containsExactly("a", "b", "c");
    assertThat(GoValues.parseList("[]")).isEmpty();
    assertThat(GoValues.parseList("x")).containsExactly("x");
    assertThat(GoValues.parseByteSize("k", "1 MB")).isEqualTo(1048576);
    assertThat(GoValues.parseByteSize("k", "512k")).isEqualTo(524288);
    assertThat(GoValues.parseByteSize("k", "3g")).isEqualTo(3L << 30);
    assertThat(GoValues.parseByteSize("k", "1024")).isEqualTo(1024);
    assertThat(GoValues.parseBool("k", "T")).isTrue();
    assertThat(GoValues.parseBool("k", "0")).isFalse();
    assertThat(GoValues.parseDuration("k", "1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(List.of(GoValues.parseDuration("k", "1500")))
        .containsExactly(Duration.ofNanos(1500));
  }
}

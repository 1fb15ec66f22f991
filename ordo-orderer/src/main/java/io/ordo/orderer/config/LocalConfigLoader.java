package io.ordo.orderer.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and reads orderer.yaml as a Fabric v3.0 orderer does: the {@code --config} path, else
 * {@code $FABRIC_CFG_PATH/orderer.yaml}, else the working directory and {@code
 * /etc/hyperledger/fabric}; then the {@code ORDERER_SECTION_KEY} environment overrides; then
 * Fabric's defaults for unset values.
 */
public final class LocalConfigLoader {
  public static final String FILE_NAME = "orderer.yaml";
  static final Path SYSTEM_CONFIG_DIR = Path.of("/etc/hyperledger/fabric");

  private static final Logger LOG = LoggerFactory.getLogger(LocalConfigLoader.class);
  private static final long MAX_MSG_SIZE = 100L * 1024 * 1024;
  private static final ConfigSchema SCHEMA = ConfigSchema.orderer();

  private final Map<String, String> env;
  private final Path workingDir;

  /**
   * @param env the process environment ({@code System.getenv()})
   * @param workingDir where a relative {@code --config} path and the fallback search start
   */
  public LocalConfigLoader(Map<String, String> env, Path workingDir) {
    this.env = Map.copyOf(env);
    this.workingDir = workingDir.toAbsolutePath();
  }

  /**
   * @param configFlag the {@code --config} value: orderer.yaml itself or the directory holding it
   */
  public LocalConfig load(Optional<String> configFlag) {
    return read(locate(configFlag));
  }

  /** The orderer.yaml that {@link #load} would read. */
  public Path locate(Optional<String> configFlag) {
    if (configFlag.isPresent()) {
      Path p = workingDir.resolve(configFlag.get());
      Path file = Files.isDirectory(p) ? p.resolve(FILE_NAME) : p;
      if (!Files.isRegularFile(file)) {
        throw new LocalConfigException(file.toString(), "config file not found (--config)");
      }
      return file;
    }
    List<Path> dirs = new ArrayList<>();
    String cfgPath = env.get("FABRIC_CFG_PATH");
    if (cfgPath != null && !cfgPath.isEmpty()) {
      dirs.add(workingDir.resolve(cfgPath));
    } else {
      dirs.add(workingDir);
      dirs.add(SYSTEM_CONFIG_DIR);
    }
    for (Path dir : dirs) {
      Path file = dir.resolve(FILE_NAME);
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    throw new LocalConfigException(
        dirs.getFirst().resolve(FILE_NAME).toString(),
        "config file not found (searched " + dirs + "; set FABRIC_CFG_PATH or --config)");
  }

  /**
   * The orderer.yaml key that an {@code ORDERER_*} environment variable overrides, if it names one
   * (deployment files are checked against it).
   */
  public static Optional<String> keyOfEnvironmentVariable(String name) {
    for (ConfigSchema.Key k : SCHEMA.keys()) {
      if (k.envName().equals(name)) {
        return Optional.of(k.name());
      }
    }
    return Optional.empty();
  }

  /** Reads one orderer.yaml. */
  public LocalConfig read(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(Files.readString(abs));
    } catch (JacksonException e) {
      throw new LocalConfigException(
          abs.toString(), "not valid YAML: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new LocalConfigException(abs.toString(), "cannot read: " + e.getMessage(), e);
    }
    RawConfig raw = RawConfig.of(root, SCHEMA, env, abs.toString());
    TypedValues v = new TypedValues(raw, abs.getParent());
    LocalConfig c =
        new LocalConfig(
            abs,
            general(v),
            new FileLedgerConfig(
                v.path("FileLedger.Location", "/var/hyperledger/production/orderer"), prune(v)),
            new DebugConfig(v.path("Debug.BroadcastTraceDir"), v.path("Debug.DeliverTraceDir")),
            consensus(v),
            new OperationsConfig(
                v.string("Operations.ListenAddress", "127.0.0.1:0"), tls(v, "Operations.TLS")),
            metrics(v),
            admin(v),
            channelParticipation(v));
    LOG.info("loaded orderer config from {}", abs);
    IgnoredKeys.in(c).forEach(k -> LOG.warn(k.warning()));
    return c;
  }

  private static GeneralConfig general(TypedValues v) {
    String method = bootstrapMethod(v);
    if (method.equals("file")) {
      throw new LocalConfigException(
          "General.BootstrapMethod",
          "'file' (system channel bootstrap) is not supported; use 'none' and join channels"
              + " through the channel participation API");
    }
    if (!method.equals("none")) {
      throw new LocalConfigException(
          "General.BootstrapMethod", "unknown bootstrap method '" + method + "'");
    }
    TlsConfig tls = tls(v, "General.TLS");
    requireCertAndKey(tls, "General.TLS");
    return new GeneralConfig(
        v.string("General.ListenAddress", "127.0.0.1"),
        v.port("General.ListenPort", 7050),
        tls,
        new KeepaliveConfig(
            v.duration("General.Keepalive.ServerMinInterval", Duration.ofSeconds(60)),
            v.duration("General.Keepalive.ServerInterval", Duration.ofHours(2)),
            v.duration("General.Keepalive.ServerTimeout", Duration.ofSeconds(20))),
        backoff(v),
        v.duration("General.ConnectionTimeout", Duration.ZERO),
        (int) v.integer("General.MaxRecvMsgSize", MAX_MSG_SIZE, 0, Integer.MAX_VALUE),
        (int) v.integer("General.MaxSendMsgSize", MAX_MSG_SIZE, 0, Integer.MAX_VALUE),
        new ThrottlingConfig(
            v.integer("General.Throttling.Rate", 0, 0, Long.MAX_VALUE),
            v.duration("General.Throttling.InactivityTimeout", Duration.ofSeconds(5))),
        cluster(v),
        method,
        bootstrapFile(v),
        v.path("General.LocalMSPDir", "msp"),
        v.string("General.LocalMSPID", "SampleOrg"),
        bccsp(v),
        new ProfileConfig(
            v.bool("General.Profile.Enabled", false),
            v.string("General.Profile.Address", "0.0.0.0:6060")),
        new AuthenticationConfig(
            v.duration("General.Authentication.TimeWindow", Duration.ofMinutes(15)),
            v.bool("General.Authentication.NoExpirationChecks", false)));
  }

  /**
   * General.BootstrapMethod, else the deprecated General.GenesisMethod it replaced (Fabric v3.0
   * still takes it, with a warning), else "none". A file written for an older Fabric thus starts a
   * node, or is refused for asking for the system channel, as it is by Fabric v3.0.
   */
  private static String bootstrapMethod(TypedValues v) {
    String method = v.string("General.BootstrapMethod", "");
    if (!method.isEmpty()) {
      return method;
    }
    String genesisMethod = v.string("General.GenesisMethod", "");
    if (!genesisMethod.isEmpty()) {
      LOG.warn("General.GenesisMethod should be replaced by General.BootstrapMethod");
      return genesisMethod;
    }
    return "none";
  }

  /** General.BootstrapFile, else the deprecated General.GenesisFile, as Fabric v3.0 reads them. */
  private static Optional<Path> bootstrapFile(TypedValues v) {
    Optional<Path> file = v.path("General.BootstrapFile");
    if (file.isPresent()) {
      return file;
    }
    Optional<Path> genesisFile = v.path("General.GenesisFile");
    genesisFile.ifPresent(
        f -> LOG.warn("General.GenesisFile should be replaced by General.BootstrapFile"));
    return genesisFile;
  }

  private static BackoffConfig backoff(TypedValues v) {
    double multiplier = v.decimal("General.Backoff.Multiplier", 1.6);
    if (multiplier < 1.0) {
      throw new LocalConfigException(
          "General.Backoff.Multiplier", multiplier + " must be at least 1.0");
    }
    return new BackoffConfig(
        v.duration("General.Backoff.BaseDelay", Duration.ofSeconds(1)),
        multiplier,
        v.duration("General.Backoff.MaxDelay", Duration.ofMinutes(2)));
  }

  private static ClusterConfig cluster(TypedValues v) {
    String p = "General.Cluster.";
    Optional<String> address =
        Optional.of(v.string(p + "ListenAddress", "")).filter(s -> !s.isEmpty());
    int port = v.port(p + "ListenPort", 0);
    Optional<Path> serverCert = v.path(p + "ServerCertificate");
    Optional<Path> serverKey = v.path(p + "ServerPrivateKey");
    int set =
        (address.isPresent() ? 1 : 0)
            + (port != 0 ? 1 : 0)
            + (serverCert.isPresent() ? 1 : 0)
            + (serverKey.isPresent() ? 1 : 0);
    if (set != 0 && set != 4) {
      String missing =
          address.isEmpty()
              ? "ListenAddress"
              : port == 0
                  ? "ListenPort"
                  : serverCert.isEmpty() ? "ServerCertificate" : "ServerPrivateKey";
      throw new LocalConfigException(
          p + missing,
          "a separate cluster listener needs ListenAddress, ListenPort, ServerCertificate and"
              + " ServerPrivateKey all set");
    }
    String policy = v.string(p + "ReplicationPolicy", "");
    if (!Set.of("simple", "consensus").contains(policy)) {
      // Fabric's orderer replaces any other value (none included) by its default, BFT's only
      if (!policy.isEmpty()) {
        LOG.info("General.Cluster.ReplicationPolicy is '{}', setting to 'consensus'", policy);
      }
      policy = "consensus";
    }
    return new ClusterConfig(
        address,
        port,
        serverCert,
        serverKey,
        v.path(p + "ClientCertificate"),
        v.path(p + "ClientPrivateKey"),
        v.paths(p + "RootCAs"),
        v.duration(p + "DialTimeout", Duration.ofSeconds(5)),
        v.duration(p + "RPCTimeout", Duration.ofSeconds(7)),
        (int) v.integer(p + "ReplicationBufferSize", 20L * 1024 * 1024, 0, Integer.MAX_VALUE),
        v.duration(p + "ReplicationPullTimeout", Duration.ofSeconds(5)),
        v.duration(p + "ReplicationRetryTimeout", Duration.ofSeconds(5)),
        v.duration(p + "ReplicationBackgroundRefreshInterval", Duration.ofMinutes(5)),
        (int) v.integer(p + "ReplicationMaxRetries", 12, 0, Integer.MAX_VALUE),
        policy,
        (int) v.integer(p + "SendBufferSize", 100, 0, Integer.MAX_VALUE),
        v.duration(p + "CertExpirationWarningThreshold", Duration.ofDays(7)),
        v.duration(p + "TLSHandshakeTimeShift", Duration.ZERO));
  }

  private static BccspConfig bccsp(TypedValues v) {
    String provider = v.string("General.BCCSP.Default", "SW");
    if (!provider.equalsIgnoreCase("SW")) {
      throw new LocalConfigException(
          "General.BCCSP.Default", "provider '" + provider + "' is not supported; only SW is");
    }
    String hash = v.string("General.BCCSP.SW.Hash", "SHA2");
    if (!hash.equalsIgnoreCase("SHA2")) {
      throw new LocalConfigException(
          "General.BCCSP.SW.Hash", "hash family '" + hash + "' is not supported; only SHA2 is");
    }
    int security = (int) v.integer("General.BCCSP.SW.Security", 256, 0, Integer.MAX_VALUE);
    if (security != 256) {
      throw new LocalConfigException(
          "General.BCCSP.SW.Security",
          "security level " + security + " is not supported; only 256 is");
    }
    return new BccspConfig(
        "SW", "SHA2", security, v.path("General.BCCSP.SW.FileKeyStore.KeyStore"));
  }

  private static TlsConfig tls(TypedValues v, String p) {
    return new TlsConfig(
        v.bool(p + ".Enabled", false),
        v.path(p + ".PrivateKey"),
        v.path(p + ".Certificate"),
        v.paths(p + ".RootCAs"),
        v.bool(p + ".ClientAuthRequired", false),
        v.paths(p + ".ClientRootCAs"),
        v.duration(p + ".TLSHandshakeTimeShift", Duration.ZERO));
  }

  private static void requireCertAndKey(TlsConfig tls, String p) {
    if (!tls.enabled()) {
      return;
    }
    if (tls.certificate().isEmpty()) {
      throw new LocalConfigException(
          p + ".Certificate", "TLS is enabled but no certificate is set");
    }
    if (tls.privateKey().isEmpty()) {
      throw new LocalConfigException(p + ".PrivateKey", "TLS is enabled but no private key is set");
    }
  }

  private static ConsensusConfig consensus(TypedValues v) {
    String eviction = v.string("Consensus.EvictionSuspicion", "");
    String tick = v.string("Consensus.TickIntervalOverride", "");
    Duration evictionSuspicion =
        eviction.isEmpty()
            ? Duration.ofMinutes(10)
            : positive(
                "Consensus.EvictionSuspicion",
                GoValues.parseDuration("Consensus.EvictionSuspicion", eviction));
    Optional<Duration> tickOverride =
        tick.isEmpty()
            ? Optional.empty()
            : Optional.of(
                positive(
                    "Consensus.TickIntervalOverride",
                    GoValues.parseDuration("Consensus.TickIntervalOverride", tick)));
    return new ConsensusConfig(
        v.path("Consensus.WALDir", "/var/hyperledger/production/orderer/etcdraft/wal"),
        v.path("Consensus.SnapDir", "/var/hyperledger/production/orderer/etcdraft/snapshot"),
        evictionSuspicion,
        tickOverride,
        leadership(v),
        v.bool("Consensus.QuietIdleChannels", true));
  }

  private static PruneConfig prune(TypedValues v) {
    return new PruneConfig(
        v.integer("FileLedger.Prune.KeepBlocks", 0, 0, Long.MAX_VALUE),
        positive(
            "FileLedger.Prune.Interval",
            v.duration("FileLedger.Prune.Interval", PruneConfig.DEFAULT_INTERVAL)),
        atLeast(
            "FileLedger.Prune.BlockFileSize",
            v.byteSize("FileLedger.Prune.BlockFileSize", PruneConfig.DEFAULT_BLOCK_FILE_BYTES),
            1024));
  }

  private static LeadershipConfig leadership(TypedValues v) {
    LeadershipConfig d = LeadershipConfig.DEFAULTS;
    // zero means "do not wait", so it is read as given rather than as "unset"
    String waitText = v.string("Consensus.LeaderWait", "");
    Duration wait =
        waitText.isBlank()
            ? d.leaderWait()
            : GoValues.parseDuration("Consensus.LeaderWait", waitText.trim());
    if (wait.isNegative()) {
      throw new LocalConfigException("Consensus.LeaderWait", "'" + waitText + "' is negative");
    }
    return new LeadershipConfig(
        v.bool("Consensus.FastFailover", d.fastFailover()),
        v.bool("Consensus.HandOffOnStop", d.handOffOnStop()),
        v.bool("Consensus.BalanceLeaders", d.balanceLeaders()),
        positive(
            "Consensus.BalanceSettleTime",
            v.duration("Consensus.BalanceSettleTime", d.balanceSettleTime())),
        wait);
  }

  private static long atLeast(String key, long value, long min) {
    if (value < min) {
      throw new LocalConfigException(key, value + " bytes is below " + min);
    }
    return value;
  }

  private static Duration positive(String key, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new LocalConfigException(key, d + " must be positive");
    }
    return d;
  }

  private static MetricsConfig metrics(TypedValues v) {
    String provider = v.string("Metrics.Provider", "disabled");
    if (!Set.of("disabled", "prometheus", "statsd").contains(provider)) {
      // Fabric's orderer starts with metrics disabled rather than refusing the value
      LOG.warn("Metrics.Provider '{}' is unknown; metrics disabled", provider);
      provider = "disabled";
    }
    return new MetricsConfig(
        provider,
        v.string("Metrics.Statsd.Network", "udp"),
        v.string("Metrics.Statsd.Address", "127.0.0.1:8125"),
        v.duration("Metrics.Statsd.WriteInterval", Duration.ofSeconds(30)),
        v.string("Metrics.Statsd.Prefix", ""));
  }

  private static AdminConfig admin(TypedValues v) {
    TlsConfig tls = tls(v, "Admin.TLS");
    requireCertAndKey(tls, "Admin.TLS");
    if (tls.enabled() && !tls.clientAuthRequired()) {
      throw new LocalConfigException(
          "Admin.TLS.ClientAuthRequired", "must be true when Admin.TLS.Enabled is true");
    }
    return new AdminConfig(v.string("Admin.ListenAddress", "127.0.0.1:0"), tls);
  }

  private static ChannelParticipationConfig channelParticipation(TypedValues v) {
    if (!v.bool("ChannelParticipation.Enabled", true)) {
      LOG.warn("ChannelParticipation.Enabled is false; Fabric v3.0 always enables the API");
    }
    return new ChannelParticipationConfig(
        true, v.byteSize("ChannelParticipation.MaxRequestBodySize", 1024 * 1024));
  }
}

package io.ordo.orderer.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The keys orderer.yaml may hold, with their types, matched case-insensitively as Fabric's viper
 * does. Sections are implied by the keys' prefixes.
 */
final class ConfigSchema {
  /**
   * One declared key.
   *
   * @param name canonical spelling, dot-separated ({@code General.TLS.Enabled})
   * @param envOnlyIfInFile Fabric only sees an {@code ORDERER_*} override of a key of its free-form
   *     Consensus map when the file holds the key
   */
  record Key(String name, KeyType type, boolean envOnlyIfInFile) {
    String envName() {
      return "ORDERER_" + name.toUpperCase(Locale.ROOT).replace('.', '_');
    }
  }

  private final Map<String, Key> byLowerName;

  private ConfigSchema(Map<String, Key> keys) {
    this.byLowerName = Collections.unmodifiableMap(keys);
  }

  Optional<Key> find(String dottedName) {
    return Optional.ofNullable(byLowerName.get(dottedName.toLowerCase(Locale.ROOT)));
  }

  Iterable<Key> keys() {
    return byLowerName.values();
  }

  /** orderer.yaml of Fabric v3.0. */
  static ConfigSchema orderer() {
    Builder b = new Builder();
    b.key("General", KeyType.SECTION);
    b.key("General.ListenAddress", KeyType.STRING);
    b.key("General.ListenPort", KeyType.PORT);
    tls(b, "General.TLS");
    b.key("General.TLS.RootCAs", KeyType.PATH_LIST);
    b.key("General.Keepalive", KeyType.SECTION);
    b.key("General.Keepalive.ServerMinInterval", KeyType.DURATION);
    b.key("General.Keepalive.ServerInterval", KeyType.DURATION);
    b.key("General.Keepalive.ServerTimeout", KeyType.DURATION);
    b.key("General.Backoff", KeyType.SECTION);
    b.key("General.Backoff.BaseDelay", KeyType.DURATION);
    b.key("General.Backoff.Multiplier", KeyType.FLOAT);
    b.key("General.Backoff.MaxDelay", KeyType.DURATION);
    b.key("General.ConnectionTimeout", KeyType.DURATION);
    b.key("General.MaxRecvMsgSize", KeyType.INT);
    b.key("General.MaxSendMsgSize", KeyType.INT);
    b.key("General.Throttling", KeyType.SECTION);
    b.key("General.Throttling.Rate", KeyType.INT);
    b.key("General.Throttling.InactivityTimeout", KeyType.DURATION);
    b.key("General.Cluster", KeyType.SECTION);
    b.key("General.Cluster.ListenAddress", KeyType.STRING);
    b.key("General.Cluster.ListenPort", KeyType.PORT);
    b.key("General.Cluster.ServerCertificate", KeyType.PATH);
    b.key("General.Cluster.ServerPrivateKey", KeyType.PATH);
    b.key("General.Cluster.ClientCertificate", KeyType.PATH);
    b.key("General.Cluster.ClientPrivateKey", KeyType.PATH);
    b.key("General.Cluster.RootCAs", KeyType.PATH_LIST);
    b.key("General.Cluster.DialTimeout", KeyType.DURATION);
    b.key("General.Cluster.RPCTimeout", KeyType.DURATION);
    b.key("General.Cluster.ReplicationBufferSize", KeyType.INT);
    b.key("General.Cluster.ReplicationPullTimeout", KeyType.DURATION);
    b.key("General.Cluster.ReplicationRetryTimeout", KeyType.DURATION);
    b.key("General.Cluster.ReplicationBackgroundRefreshInterval", KeyType.DURATION);
    b.key("General.Cluster.ReplicationMaxRetries", KeyType.INT);
    b.key("General.Cluster.ReplicationPolicy", KeyType.STRING);
    b.key("General.Cluster.SendBufferSize", KeyType.INT);
    b.key("General.Cluster.CertExpirationWarningThreshold", KeyType.DURATION);
    b.key("General.Cluster.TLSHandshakeTimeShift", KeyType.DURATION);
    b.key("General.BootstrapMethod", KeyType.STRING);
    b.key("General.BootstrapFile", KeyType.PATH);
    // deprecated: read when BootstrapMethod and BootstrapFile are unset, as Fabric v3.0 reads them
    b.key("General.GenesisMethod", KeyType.STRING);
    b.key("General.GenesisFile", KeyType.PATH);
    b.key("General.LocalMSPDir", KeyType.PATH);
    b.key("General.LocalMSPID", KeyType.STRING);
    b.key("General.Profile", KeyType.SECTION);
    b.key("General.Profile.Enabled", KeyType.BOOL);
    b.key("General.Profile.Address", KeyType.STRING);
    b.key("General.BCCSP", KeyType.SECTION);
    b.key("General.BCCSP.Default", KeyType.STRING);
    b.key("General.BCCSP.SW", KeyType.SECTION);
    b.key("General.BCCSP.SW.Hash", KeyType.STRING);
    b.key("General.BCCSP.SW.Security", KeyType.INT);
    b.key("General.BCCSP.SW.FileKeyStore", KeyType.SECTION);
    b.key("General.BCCSP.SW.FileKeyStore.KeyStore", KeyType.PATH);
    b.key("General.BCCSP.PKCS11", KeyType.OPAQUE);
    b.key("General.Authentication", KeyType.SECTION);
    b.key("General.Authentication.TimeWindow", KeyType.DURATION);
    b.key("General.Authentication.NoExpirationChecks", KeyType.BOOL);
    b.key("FileLedger", KeyType.SECTION);
    b.key("FileLedger.Location", KeyType.PATH);
    // deprecated: Fabric v3.0 reads it and uses it nowhere
    b.key("FileLedger.Prefix", KeyType.STRING);
    // Ordo's own: Fabric v3.0's orderer refuses a file holding them ("'FileLedger' has invalid
    // keys: Prune") and does not read their ORDERER_FILELEDGER_PRUNE_* variables
    b.key("FileLedger.Prune", KeyType.SECTION);
    b.key("FileLedger.Prune.KeepBlocks", KeyType.INT);
    b.key("FileLedger.Prune.Interval", KeyType.DURATION);
    b.key("FileLedger.Prune.BlockFileSize", KeyType.BYTE_SIZE);
    b.key("Debug", KeyType.SECTION);
    b.key("Debug.BroadcastTraceDir", KeyType.PATH);
    b.key("Debug.DeliverTraceDir", KeyType.PATH);
    b.key("Operations", KeyType.SECTION);
    b.key("Operations.ListenAddress", KeyType.STRING);
    tls(b, "Operations.TLS");
    b.key("Operations.TLS.RootCAs", KeyType.PATH_LIST);
    b.key("Metrics", KeyType.SECTION);
    b.key("Metrics.Provider", KeyType.STRING);
    b.key("Metrics.Statsd", KeyType.SECTION);
    b.key("Metrics.Statsd.Network", KeyType.STRING);
    b.key("Metrics.Statsd.Address", KeyType.STRING);
    b.key("Metrics.Statsd.WriteInterval", KeyType.DURATION);
    b.key("Metrics.Statsd.Prefix", KeyType.STRING);
    b.key("Admin", KeyType.SECTION);
    b.key("Admin.ListenAddress", KeyType.STRING);
    tls(b, "Admin.TLS");
    b.key("Admin.TLS.RootCAs", KeyType.PATH_LIST);
    b.key("ChannelParticipation", KeyType.SECTION);
    b.key("ChannelParticipation.Enabled", KeyType.BOOL);
    b.key("ChannelParticipation.MaxRequestBodySize", KeyType.BYTE_SIZE);
    b.key("Consensus", KeyType.SECTION);
    b.fileOnlyEnv("Consensus.WALDir", KeyType.PATH);
    b.fileOnlyEnv("Consensus.SnapDir", KeyType.PATH);
    b.fileOnlyEnv("Consensus.EvictionSuspicion", KeyType.STRING);
    b.fileOnlyEnv("Consensus.TickIntervalOverride", KeyType.STRING);
    // Ordo's own keys, which Fabric ignores: its overrides apply whether or not the file has them
    b.key("Consensus.FastFailover", KeyType.BOOL);
    b.key("Consensus.HandOffOnStop", KeyType.BOOL);
    b.key("Consensus.BalanceLeaders", KeyType.BOOL);
    b.key("Consensus.BalanceSettleTime", KeyType.DURATION);
    b.key("Consensus.LeaderWait", KeyType.DURATION);
    b.key("Consensus.QuietIdleChannels", KeyType.BOOL);
    return b.build();
  }

  private static void tls(Builder b, String prefix) {
    b.key(prefix, KeyType.SECTION);
    b.key(prefix + ".Enabled", KeyType.BOOL);
    b.key(prefix + ".PrivateKey", KeyType.PATH);
    b.key(prefix + ".Certificate", KeyType.PATH);
    b.key(prefix + ".ClientAuthRequired", KeyType.BOOL);
    b.key(prefix + ".ClientRootCAs", KeyType.PATH_LIST);
    b.key(prefix + ".TLSHandshakeTimeShift", KeyType.DURATION);
  }

  private static final class Builder {
    private final Map<String, Key> keys = new LinkedHashMap<>();

    void key(String name, KeyType type) {
      add(new Key(name, type, false));
    }

    void fileOnlyEnv(String name, KeyType type) {
      add(new Key(name, type, true));
    }

    private void add(Key k) {
      if (keys.put(k.name().toLowerCase(Locale.ROOT), k) != null) {
        throw new IllegalStateException("key declared twice: " + k.name());
      }
    }

    ConfigSchema build() {
      return new ConfigSchema(keys);
    }
  }
}

package io.ordo.orderer.config;

import java.util.List;
import java.util.function.Predicate;

/**
 * The orderer.yaml keys Ordo reads and checks but does not act on, the one list of them. A key is
 * reported only when its value asks for something, that is differs from the value with which
 * Fabric's orderer does nothing either (or from Fabric's default), so that Fabric's unedited sample
 * file reports none. Keys Fabric itself ignores on an etcdraft orderer ({@code FileLedger.Prefix},
 * {@code General.BCCSP.PKCS11} beside {@code Default: SW}, {@code Metrics.Statsd} without the
 * statsd provider, {@code General.Cluster.ReplicationPolicy}) are not listed.
 */
public final class IgnoredKeys {
  /**
   * One key set to a value Ordo does not act on.
   *
   * @param key the key as orderer.yaml spells it
   * @param instead what Ordo does in its place
   */
  public record Ignored(String key, String instead) {
    /** The start-up warning line. */
    public String warning() {
      return key + " is set but Ordo does not act on it: " + instead;
    }
  }

  private record Rule(String key, Predicate<LocalConfig> asksForSomething, String instead) {}

  private static final String NO_TIME_SHIFT = "certificates are checked against the current time";

  private static final List<Rule> RULES =
      List.of(
          new Rule(
              "General.ConnectionTimeout",
              c -> !c.general().connectionTimeout().isZero(),
              "TLS handshakes are not bounded by it"),
          new Rule(
              "General.TLS.TLSHandshakeTimeShift",
              c -> !c.general().tls().handshakeTimeShift().isZero(),
              NO_TIME_SHIFT),
          new Rule(
              "General.Cluster.TLSHandshakeTimeShift",
              c -> !c.general().cluster().tlsHandshakeTimeShift().isZero(),
              NO_TIME_SHIFT),
          new Rule(
              "General.Profile.Enabled",
              c -> c.general().profile().enabled(),
              "there is no profiling listener (Go's pprof)"),
          new Rule(
              "General.BCCSP.SW.FileKeyStore.KeyStore",
              c ->
                  c.general()
                      .bccsp()
                      .keyStore()
                      .filter(k -> !k.equals(c.general().localMspDir().resolve("keystore")))
                      .isPresent(),
              "the signing key is read from General.LocalMSPDir/keystore"),
          new Rule(
              "Debug.BroadcastTraceDir",
              c -> c.debug().broadcastTraceDir().isPresent(),
              "Broadcast envelopes are not written out"),
          new Rule(
              "Debug.DeliverTraceDir",
              c -> c.debug().deliverTraceDir().isPresent(),
              "Deliver requests are not written out"),
          new Rule(
              "Operations.TLS.TLSHandshakeTimeShift",
              c -> !c.operations().tls().handshakeTimeShift().isZero(),
              NO_TIME_SHIFT),
          new Rule(
              "Admin.TLS.TLSHandshakeTimeShift",
              c -> !c.admin().tls().handshakeTimeShift().isZero(),
              NO_TIME_SHIFT));

  private IgnoredKeys() {}

  /** The keys {@code config} sets to a value Ordo does not act on, in the order of the list. */
  public static List<Ignored> in(LocalConfig config) {
    return RULES.stream()
        .filter(r -> r.asksForSomething().test(config))
        .map(r -> new Ignored(r.key(), r.instead()))
        .toList();
  }

  /** Every key this list can report, for documentation and tests. */
  static List<String> keys() {
    return RULES.stream().map(Rule::key).toList();
  }
}

package io.ordo.orderer.server;

import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.OrgConfig;
import io.ordo.orderer.cluster.TrustRoots;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The TLS roots of cluster traffic, recomputed from every channel's config as Fabric's {@code
 * server.(*caManager).updateTrustedRoots} and {@code updateClusterDialer} do
 * (orderer/common/server/main.go): the servers trust client certificates of all application and
 * orderer orgs' TLS CAs plus the static roots; the dialer trusts the orderer orgs' TLS CAs plus
 * General.Cluster.RootCAs.
 */
final class ClusterTrust {
  private final List<X509Certificate> staticClientRoots;
  private final List<X509Certificate> staticServerRoots;
  final TrustRoots clientRoots;
  final TrustRoots serverRoots;

  /**
   * @param staticClientRoots the configured client roots (General.TLS.ClientRootCAs,
   *     Cluster.RootCAs)
   * @param staticServerRoots General.Cluster.RootCAs (and General.TLS.RootCAs)
   */
  ClusterTrust(List<X509Certificate> staticClientRoots, List<X509Certificate> staticServerRoots) {
    this.staticClientRoots = List.copyOf(staticClientRoots);
    this.staticServerRoots = List.copyOf(staticServerRoots);
    this.clientRoots = new TrustRoots(staticClientRoots);
    this.serverRoots = new TrustRoots(staticServerRoots);
  }

  /** Replaces the roots with those of {@code configs} (channel to current config). */
  void update(Map<String, ChannelConfig> configs) {
    Set<X509Certificate> clients = new LinkedHashSet<>(staticClientRoots);
    Set<X509Certificate> servers = new LinkedHashSet<>(staticServerRoots);
    for (ChannelConfig c : configs.values()) {
      addTlsCas(c.orderer().orgs().values(), clients);
      addTlsCas(c.orderer().orgs().values(), servers);
      c.application().ifPresent(a -> addTlsCas(a.orgs().values(), clients));
    }
    clientRoots.replace(clients);
    serverRoots.replace(servers);
  }

  private static void addTlsCas(Collection<OrgConfig> orgs, Set<X509Certificate> into) {
    for (OrgConfig org : orgs) {
      org.msp()
          .ifPresent(
              msp -> {
                into.addAll(msp.tlsRootCerts());
                into.addAll(msp.tlsIntermediateCerts());
              });
    }
  }
}

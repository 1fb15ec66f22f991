package io.ordo.orderer.replication;

import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.OrgConfig;
import io.ordo.fabric.channelconfig.RaftConsenter;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Where a channel's blocks can be pulled from, and which TLS roots vouch for those servers. */
public final class OrdererEndpoints {
  private OrdererEndpoints() {}

  /**
   * The orderer orgs' Endpoints (Deliver listeners); the global OrdererAddresses when no org has
   * any; the etcdraft consenters' host:port as the last resort (as Fabric's block puller).
   */
  public static List<String> of(ChannelConfig config) {
    Set<String> out = new LinkedHashSet<>();
    for (OrgConfig org : sorted(config)) {
      out.addAll(org.endpoints());
    }
    if (out.isEmpty()) {
      out.addAll(config.ordererAddresses());
    }
    if (out.isEmpty()) {
      config
          .orderer()
          .etcdRaft()
          .ifPresent(r -> r.consenters().stream().map(RaftConsenter::endpoint).forEach(out::add));
    }
    return List.copyOf(out);
  }

  /** The orderer orgs' TLS root and intermediate certificates. */
  public static List<X509Certificate> tlsRoots(ChannelConfig config) {
    Set<X509Certificate> out = new LinkedHashSet<>();
    for (OrgConfig org : sorted(config)) {
      org.msp()
          .ifPresent(
              msp -> {
                out.addAll(msp.tlsRootCerts());
                out.addAll(msp.tlsIntermediateCerts());
              });
    }
    return List.copyOf(out);
  }

  private static List<OrgConfig> sorted(ChannelConfig config) {
    List<OrgConfig> orgs = new ArrayList<>(config.orderer().orgs().values());
    orgs.sort((a, b) -> a.name().compareTo(b.name()));
    return orgs;
  }
}

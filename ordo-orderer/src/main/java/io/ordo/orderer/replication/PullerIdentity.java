package io.ordo.orderer.replication;

import io.ordo.fabric.crypto.Signer;
import io.ordo.orderer.cluster.TlsIdentity;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Who a {@link BlockPuller} is to the orderers it pulls from.
 *
 * @param tls the cluster client certificate and key, presented in the TLS handshake
 * @param signer the node's MSP signing identity, which signs the seek requests (an orderer org
 *     member satisfies /Channel/Readers)
 * @param staticRoots TLS roots trusted besides the channel's orderer org TLS CAs
 *     (General.Cluster.RootCAs)
 */
public record PullerIdentity(TlsIdentity tls, Signer signer, List<X509Certificate> staticRoots) {
  public PullerIdentity {
    staticRoots = List.copyOf(staticRoots);
  }
}

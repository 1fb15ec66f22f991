package io.ordo.orderer.cluster;

import java.security.cert.X509Certificate;

/**
 * Another consenter of a channel, as the channel config lists it.
 *
 * @param id its raft ID in that channel
 * @param host the consenter's host, also the name its server certificate must carry
 * @param serverTlsCert the certificate it must present as a server (pinned by public key)
 * @param clientTlsCert the certificate it presents when it dials us (matched by public key)
 */
public record RemoteNode(
    long id, String host, int port, X509Certificate serverTlsCert, X509Certificate clientTlsCert) {
  public String endpoint() {
    return host + ":" + port;
  }
}

package io.ordo.orderer.cluster;

import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The TLS root certificates trusted for cluster traffic: the orderer and application orgs' TLS
 * roots of all channels plus the statically configured ones. Replaced as a whole after each config
 * block; handshakes read the latest set.
 */
public final class TrustRoots {
  private final AtomicReference<List<X509Certificate>> roots;

  public TrustRoots(Collection<X509Certificate> initial) {
    this.roots = new AtomicReference<>(List.copyOf(initial));
  }

  public void replace(Collection<X509Certificate> next) {
    roots.set(List.copyOf(next));
  }

  public List<X509Certificate> current() {
    return roots.get();
  }
}

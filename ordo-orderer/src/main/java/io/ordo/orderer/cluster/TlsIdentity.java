package io.ordo.orderer.cluster;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A TLS key and certificate chain (leaf first) this node presents.
 *
 * <p>{@link #toString()} never shows the key.
 */
public record TlsIdentity(PrivateKey privateKey, List<X509Certificate> chain) {
  public TlsIdentity {
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a TLS identity needs at least its leaf certificate");
    }
    chain = List.copyOf(chain);
  }

  public X509Certificate leaf() {
    return chain.getFirst();
  }

  @Override
  public String toString() {
    return "TlsIdentity[" + leaf().getSubjectX500Principal() + "]";
  }
}

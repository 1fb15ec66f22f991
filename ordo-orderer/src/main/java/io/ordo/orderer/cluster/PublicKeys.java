package io.ordo.orderer.cluster;

import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * Fabric's certificate pinning: two certificates match when their SubjectPublicKeyInfo DER is
 * equal.
 */
final class PublicKeys {
  private PublicKeys() {}

  static boolean samePublicKey(X509Certificate a, X509Certificate b) {
    return Arrays.equals(a.getPublicKey().getEncoded(), b.getPublicKey().getEncoded());
  }
}

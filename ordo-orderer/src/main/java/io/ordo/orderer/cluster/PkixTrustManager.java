package io.ordo.orderer.cluster;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.X509TrustManager;

/**
 * Verifies a peer's certificate chain against the current {@link TrustRoots} (no revocation checks,
 * as Fabric), and optionally pins the leaf's public key. It is a plain {@link X509TrustManager}, so
 * the JDK adds hostname verification on the client side.
 */
final class PkixTrustManager implements X509TrustManager {
  private final TrustRoots roots;
  private final Optional<X509Certificate> pinned;

  /**
   * @param pinned when present, the peer's leaf must carry this certificate's public key
   */
  PkixTrustManager(TrustRoots roots, Optional<X509Certificate> pinned) {
    this.roots = roots;
    this.pinned = pinned;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    verify(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    verify(chain);
    if (pinned.isPresent() && !PublicKeys.samePublicKey(pinned.get(), chain[0])) {
      throw new CertificateException(
          "public key of server certificate presented by "
              + chain[0].getSubjectX500Principal()
              + " doesn't match the expected public key");
    }
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return roots.current().toArray(X509Certificate[]::new);
  }

  private void verify(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("no certificate presented");
    }
    List<X509Certificate> rootList = roots.current();
    if (rootList.isEmpty()) {
      throw new CertificateException("no trusted TLS roots configured");
    }
    Set<TrustAnchor> anchors = new HashSet<>();
    for (X509Certificate root : rootList) {
      anchors.add(new TrustAnchor(root, null));
    }
    // the path is the presented chain minus any root it carries
    List<X509Certificate> path =
        Arrays.stream(chain)
            .filter(c -> !c.getSubjectX500Principal().equals(c.getIssuerX500Principal()))
            .toList();
    if (path.isEmpty()) {
      throw new CertificateException(
          "self-signed certificate " + chain[0].getSubjectX500Principal() + " is not accepted");
    }
    try {
      PKIXParameters params = new PKIXParameters(anchors);
      params.setRevocationEnabled(false);
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
    } catch (GeneralSecurityException e) {
      throw new CertificateException(
          "certificate "
              + chain[0].getSubjectX500Principal()
              + " does not verify against the trusted TLS roots: "
              + e.getMessage(),
          e);
    }
  }
}

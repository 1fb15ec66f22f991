package io.ordo.orderer.cluster;

import java.net.Socket;
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
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies a peer's certificate chain against the current {@link TrustRoots} (no revocation checks,
 * as Fabric), and optionally pins the leaf's public key. On the client side it also checks the
 * server's host name against the certificate's subject alternative names, as Go's TLS client does
 * for Fabric; it does so itself because the native TLS engine leaves that to extended trust
 * managers.
 */
final class PkixTrustManager extends X509ExtendedTrustManager {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(PkixTrustManager.class);

  private final TrustRoots roots;
  private final Optional<X509Certificate> pinned;

  /** One line per certificate and minute about expired certificates. */
  private final io.ordo.orderer.rpc.PeerLog expiredLog =
      new io.ordo.orderer.rpc.PeerLog(log, java.time.Duration.ofMinutes(1));

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
    checkClient(chain, null);
  }

  private void checkClient(X509Certificate[] chain, String peer) throws CertificateException {
    notExpired(chain, "client", peer);
    verify(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    checkServer(chain, null);
  }

  private void checkServer(X509Certificate[] chain, String peer) throws CertificateException {
    notExpired(chain, "server", peer);
    verify(chain);
    if (pinned.isPresent() && !PublicKeys.samePublicKey(pinned.get(), chain[0])) {
      throw new CertificateException(
          "public key of server certificate presented by "
              + chain[0].getSubjectX500Principal()
              + " doesn't match the expected public key");
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkClient(chain, socket == null ? null : String.valueOf(socket.getRemoteSocketAddress()));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkClient(chain, engine == null ? null : engine.getPeerHost());
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServer(chain, socket == null ? null : String.valueOf(socket.getRemoteSocketAddress()));
    if (socket instanceof SSLSocket ssl) {
      checkHost(chain[0], ssl.getSSLParameters(), ssl.getHandshakeSession());
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkServer(
        chain,
        engine == null || engine.getPeerHost() == null
            ? null
            : engine.getPeerHost() + ":" + engine.getPeerPort());
    if (engine != null) {
      checkHost(chain[0], engine.getSSLParameters(), engine.getHandshakeSession());
    }
  }

  private static void checkHost(
      X509Certificate leaf, SSLParameters parameters, javax.net.ssl.SSLSession session)
      throws CertificateException {
    String algorithm = parameters == null ? null : parameters.getEndpointIdentificationAlgorithm();
    if (algorithm == null || algorithm.isEmpty() || session == null) {
      return;
    }
    String host = session.getPeerHost();
    if (host == null || host.isEmpty()) {
      return;
    }
    if (!HostNames.matches(leaf, host)) {
      throw new CertificateException(
          "server certificate "
              + leaf.getSubjectX500Principal()
              + " is not valid for host "
              + host);
    }
  }

  /**
   * An expired leaf is refused before its path is checked, with a message naming it and its expiry
   * date, and a WARN on this side saying the same (the peer gets only TLS's certificate_expired
   * alert): PKIX's own "validity check failed" names neither.
   */
  private void notExpired(X509Certificate[] chain, String role, String peer)
      throws CertificateException {
    if (chain == null || chain.length == 0) {
      return;
    }
    X509Certificate leaf = chain[0];
    java.time.Instant now = java.time.Instant.now();
    java.time.Instant notAfter = leaf.getNotAfter().toInstant();
    if (!now.isAfter(notAfter)) {
      return;
    }
    String message =
        "TLS "
            + role
            + " certificate "
            + leaf.getSubjectX500Principal().getName()
            + " expired at "
            + notAfter;
    // one line per certificate and minute: a peer retries its handshake, and a server engine may
    // not know the peer's address
    expiredLog.warn(
        leaf.getSubjectX500Principal().getName() + " serial " + leaf.getSerialNumber(),
        "refused the " + message + (peer == null ? "" : ", presented by " + peer));
    throw new java.security.cert.CertificateExpiredException(message);
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

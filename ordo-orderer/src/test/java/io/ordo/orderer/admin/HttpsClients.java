package io.ordo.orderer.admin;

import io.ordo.orderer.testing.TestOrg;
import java.net.http.HttpClient;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** java.net.http clients for tests: trusting a CA, optionally presenting a client certificate. */
public final class HttpsClients {
  private HttpsClients() {}

  public static HttpClient client(X509Certificate serverCa, TestOrg.TlsIdentity clientIdentity) {
    return HttpClient.newBuilder()
        .sslContext(sslContext(serverCa, clientIdentity))
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** TLS that trusts {@code serverCa} and shows {@code clientIdentity} (none when null). */
  public static SSLContext sslContext(
      X509Certificate serverCa, TestOrg.TlsIdentity clientIdentity) {
    try {
      KeyManagerFactory kmf = null;
      if (clientIdentity != null) {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(
            "client",
            clientIdentity.keys().getPrivate(),
            new char[0],
            new X509Certificate[] {clientIdentity.certificate()});
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
      }
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", serverCa);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

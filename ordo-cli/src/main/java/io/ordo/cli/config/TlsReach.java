package io.ordo.cli.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Whether a consenter's cluster endpoint answers: a TCP connection and a TLS handshake, each within
 * a short bound. Nothing is sent beyond the handshake, and its certificate is not judged here (the
 * channel's rules judge the certificates in the config): a handshake the server ends with an alert,
 * as a cluster listener that wants a client certificate does, still shows a TLS server there.
 */
final class TlsReach {
  private final Duration timeout;

  TlsReach(Duration timeout) {
    this.timeout = timeout;
  }

  /** Why {@code host:port} cannot be reached over TLS, or empty when it can. */
  Optional<String> problem(String host, int port) {
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      plain.setSoTimeout((int) timeout.toMillis());
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new AnyServer()}, null);
      try (SSLSocket tls =
          (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, false)) {
        tls.startHandshake();
      } catch (SocketTimeoutException e) {
        return Optional.of("no TLS handshake within " + timeout.toMillis() + " ms");
      } catch (SSLException e) {
        // an alert from a server that wants a client certificate: a TLS server is there
        return Optional.empty();
      }
      return Optional.empty();
    } catch (SocketTimeoutException e) {
      return Optional.of("no connection within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      return Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS context in this JVM", e);
    }
  }

  /** Accepts any server certificate: the probe asks only whether a TLS server answers. */
  private static final class AnyServer implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}

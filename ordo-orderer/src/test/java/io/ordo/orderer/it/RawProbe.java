package io.ordo.orderer.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Bytes written to a listener over a bare TCP connection, and what the listener did: the bytes it
 * answered and whether it closed the connection within the timeout.
 *
 * @param closed the server closed or reset the connection
 */
record RawProbe(byte[] answer, boolean closed) {
  static RawProbe send(int port, byte[] bytes, Duration timeout) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
      s.setSoTimeout((int) timeout.toMillis());
      s.getOutputStream().write(bytes);
      s.getOutputStream().flush();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      try {
        for (int n; (n = in.read(buf)) >= 0; ) {
          answer.write(buf, 0, n);
        }
        return new RawProbe(answer.toByteArray(), true);
      } catch (SocketTimeoutException e) {
        return new RawProbe(answer.toByteArray(), false);
      } catch (SocketException e) {
        // a reset is the server closing too
        return new RawProbe(answer.toByteArray(), true);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot probe port " + port + ": " + e, e);
    }
  }

  /**
   * Bytes written after a completed TLS handshake (offering {@code alpn}, as a gRPC or HTTPS client
   * would), and what the listener did with them.
   */
  static RawProbe sendOverTls(
      SSLContext ctx, int port, String alpn, byte[] bytes, Duration timeout) {
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
      s.setSoTimeout((int) timeout.toMillis());
      SSLParameters params = s.getSSLParameters();
      params.setApplicationProtocols(new String[] {alpn});
      s.setSSLParameters(params);
      s.startHandshake();
      s.getOutputStream().write(bytes);
      s.getOutputStream().flush();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      try {
        for (int n; (n = in.read(buf)) >= 0; ) {
          answer.write(buf, 0, n);
        }
        return new RawProbe(answer.toByteArray(), true);
      } catch (SocketTimeoutException e) {
        return new RawProbe(answer.toByteArray(), false);
      } catch (SocketException | SSLException e) {
        return new RawProbe(answer.toByteArray(), true);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot probe port " + port + " over TLS: " + e, e);
    }
  }

  /** A TLS record header of an alert: what a TLS server sends before closing on a bad hello. */
  boolean isTlsAlertOrNothing() {
    return answer.length == 0 || answer[0] == 0x15;
  }

  String answerText() {
    return new String(answer, StandardCharsets.ISO_8859_1);
  }
}

package io.ordo.orderer.admin;

import io.ordo.fabric.crypto.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The TLS context of an HTTPS listener (admin, operations) from PEM files. */
public final class ServerTls {
  private ServerTls() {}

  /**
   * @param clientRoots the CAs a client certificate must chain to (may be empty: no client trust)
   */
  public static SSLContext context(
      PrivateKey key, List<X509Certificate> chain, List<X509Certificate> clientRoots) {
    try {
      char[] none = new char[0];
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("server", key, none, chain.toArray(new X509Certificate[0]));
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, none);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      for (int i = 0; i < clientRoots.size(); i++) {
        trust.setCertificateEntry("client-root-" + i, clientRoots.get(i));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
    }
  }

  /** Reads the key, certificate and client root files named in orderer.yaml. */
  public static SSLContext fromFiles(
      Path keyFile, Path certificateFile, List<Path> clientRootFiles) {
    List<X509Certificate> roots = new ArrayList<>();
    for (Path p : clientRootFiles) {
      roots.addAll(Pem.certificates(read(p)));
    }
    return context(Pem.privateKey(read(keyFile)), Pem.certificates(read(certificateFile)), roots);
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read TLS file " + file, e);
    }
  }
}

package io.ordo.cli.admin;

import io.ordo.cli.CommandFailedException;
import io.ordo.cli.InputFiles;
import io.ordo.cli.MessageText;
import io.ordo.fabric.crypto.Pem;
import io.ordo.orderer.cluster.RotatingKeyManager;
import io.ordo.orderer.cluster.TlsIdentity;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The TLS context of an admin client: the CA(s) it trusts and the client certificate it shows. */
public final class AdminTls {
  private AdminTls() {}

  /** A client certificate and its PKCS#8 PEM key. */
  public record ClientCertificate(Path certificate, Path key) {}

  /**
   * Trusts every certificate of the PEM file {@code ca}; shows {@code client} when present.
   *
   * @throws CommandFailedException naming the file that cannot be used
   */
  public static SSLContext context(Path ca, Optional<ClientCertificate> client) {
    byte[] caPem = InputFiles.read(ca, "TLS CA file");
    KeyManager[] keyManagers = null;
    try {
      if (client.isPresent()) {
        ClientCertificate c = client.get();
        byte[] certPem = InputFiles.read(c.certificate(), "client TLS certificate");
        byte[] keyPem = InputFiles.read(c.key(), "client TLS key");
        // the key held as it is: a PKCS#12 store's password-based encryption of it (thousands of
        // hash rounds) was most of a TLS channel command's own work
        keyManagers =
            new KeyManager[] {
              new RotatingKeyManager(
                  new TlsIdentity(Pem.privateKey(keyPem), List.of(Pem.certificate(certPem))))
            };
      }
    } catch (Pem.PemException e) {
      throw new CommandFailedException(
          "cannot use the client TLS certificate "
              + client.get().certificate()
              + " and key "
              + client.get().key()
              + ": "
              + MessageText.oneLine(e.getMessage()),
          e);
    }
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      List<X509Certificate> cas = Pem.certificates(caPem);
      if (cas.isEmpty()) {
        throw new CommandFailedException("TLS CA file " + ca + " holds no PEM certificate");
      }
      for (int i = 0; i < cas.size(); i++) {
        trust.setCertificateEntry("ca" + i, cas.get(i));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(keyManagers, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException | Pem.PemException e) {
      throw new CommandFailedException(
          "cannot use TLS CA file " + ca + ": " + MessageText.oneLine(e.getMessage()), e);
    }
  }
}

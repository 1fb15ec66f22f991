package io.ordo.orderer.it;

import io.ordo.fabric.crypto.Hashes;
import io.ordo.fabric.crypto.KeyPairs;
import io.ordo.fabric.crypto.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * TLS client certificates that carry a subject key identifier, as a Fabric CA issues them
 * (cryptogen's leaves carry none), issued by an org's TLS CA from its cryptogen folder: the clients
 * that Fabric's throttling tells apart.
 */
final class SkiClientCerts {
  private SkiClientCerts() {}

  /** Issues {@code cn} under the TLS CA in {@code tlsCaDir}; writes client.crt and client.key. */
  static TlsClients.ClientCert issue(Path tlsCaDir, String cn, Path out) {
    try {
      Path caCertFile;
      try (var files = Files.list(tlsCaDir)) {
        caCertFile =
            files
                .filter(f -> f.getFileName().toString().endsWith("-cert.pem"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no CA certificate in " + tlsCaDir));
      }
      X509Certificate ca = Pem.certificate(Files.readAllBytes(caCertFile));
      PrivateKey caKey = Pem.privateKey(Files.readAllBytes(tlsCaDir.resolve("priv_sk")));
      SecureRandom random = new SecureRandom();
      KeyPair keys = KeyPairs.p256(random);
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              ca,
              new BigInteger(128, random),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(Duration.ofDays(1))),
              new X500Name("CN=" + cn),
              keys.getPublic());
      b.addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyId(keys)));
      b.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new AuthorityKeyIdentifier(
              SubjectKeyIdentifier.getInstance(
                      org.bouncycastle.asn1.ASN1OctetString.getInstance(
                              ca.getExtensionValue(Extension.subjectKeyIdentifier.getId()))
                          .getOctets())
                  .getKeyIdentifier()));
      X509Certificate cert =
          new JcaX509CertificateConverter()
              .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey)));
      Files.createDirectories(out);
      Files.write(out.resolve("client.crt"), Pem.encode(cert));
      Files.write(out.resolve("client.key"), Pem.encode(keys.getPrivate()));
      return TlsClients.ClientCert.in(out, "client");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot issue a client certificate under " + tlsCaDir, e);
    } catch (java.security.GeneralSecurityException
        | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException("cannot issue a client certificate under " + tlsCaDir, e);
    }
  }

  private static byte[] keyId(KeyPair keys) {
    return Hashes.sha256(
        SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded())
            .getPublicKeyData()
            .getBytes());
  }
}

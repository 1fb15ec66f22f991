package io.ordo.fabric.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemObject;

/** PEM reading and writing of X.509 certificates, CRLs and PKCS#8 EC private keys. */
public final class Pem {
  private Pem() {}

  /** Parses the first certificate of a PEM (or DER) byte string. */
  public static X509Certificate certificate(byte[] pemOrDer) {
    List<X509Certificate> certs = certificates(pemOrDer);
    if (certs.isEmpty()) {
      throw new PemException("no certificate in " + pemOrDer.length + " bytes");
    }
    return certs.get(0);
  }

  /** Parses every certificate of a PEM byte string (a DER certificate is accepted too). */
  public static List<X509Certificate> certificates(byte[] pemOrDer) {
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      List<X509Certificate> out = new ArrayList<>();
      for (var c : cf.generateCertificates(new ByteArrayInputStream(pemOrDer))) {
        out.add((X509Certificate) c);
      }
      return out;
    } catch (CertificateException e) {
      throw new PemException("not an X.509 certificate: " + e.getMessage(), e);
    }
  }

  /** Parses the first CRL of a PEM (or DER) byte string. */
  public static X509CRL crl(byte[] pemOrDer) {
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      return (X509CRL) cf.generateCRL(new ByteArrayInputStream(pemOrDer));
    } catch (java.security.cert.CRLException | CertificateException e) {
      throw new PemException("not an X.509 CRL: " + e.getMessage(), e);
    }
  }

  /** Reads a private key written as PKCS#8 ("PRIVATE KEY") or SEC1 ("EC PRIVATE KEY"). */
  public static PrivateKey privateKey(byte[] pem) {
    try (PEMParser parser =
        new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
      Object o = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (o instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (o instanceof PEMKeyPair pair) {
        return converter.getPrivateKey(pair.getPrivateKeyInfo());
      }
      throw new PemException(
          "no private key in PEM (found "
              + (o == null ? "nothing" : o.getClass().getSimpleName())
              + ")");
    } catch (IOException e) {
      throw new PemException("unreadable private key PEM: " + e.getMessage(), e);
    }
  }

  public static byte[] encode(X509Certificate cert) {
    try {
      return encode(new PemObject("CERTIFICATE", cert.getEncoded()));
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new PemException("certificate cannot be encoded", e);
    }
  }

  public static byte[] encode(X509CRL crl) {
    try {
      return encode(new PemObject("X509 CRL", crl.getEncoded()));
    } catch (java.security.cert.CRLException e) {
      throw new PemException("CRL cannot be encoded", e);
    }
  }

  /** PKCS#8 "PRIVATE KEY" PEM, the form Fabric's keystore holds. */
  public static byte[] encode(PrivateKey key) {
    return encode(new PemObject("PRIVATE KEY", key.getEncoded()));
  }

  // Written as Go's encoding/pem does (64-column base64, "\n" line ends) so that a re-encoded
  // certificate is byte-equal to the one Fabric serialises.
  private static byte[] encode(PemObject object) {
    StringBuilder out = new StringBuilder();
    out.append("-----BEGIN ").append(object.getType()).append("-----\n");
    String b64 = java.util.Base64.getEncoder().encodeToString(object.getContent());
    for (int i = 0; i < b64.length(); i += 64) {
      out.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
    }
    out.append("-----END ").append(object.getType()).append("-----\n");
    return out.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** Bytes that are not the PEM object expected. */
  public static final class PemException extends RuntimeException {
    public PemException(String message) {
      super(message);
    }

    public PemException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

package io.ordo.fabric.cryptogen;

import io.ordo.fabric.crypto.Ed25519;
import io.ordo.fabric.crypto.Hashes;
import io.ordo.fabric.crypto.KeyAlgorithm;
import io.ordo.fabric.crypto.KeyIdentifiers;
import io.ordo.fabric.crypto.KeyPairs;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority issuing certificates shaped like Fabric's cryptogen's (subject
 * C/ST/L/O/OU/CN, subject key identifiers, CA with certSign and cRLSign), with an ECDSA P-256 key
 * (SHA256withECDSA) or, as cryptogen v3's {@code PublicKeyAlgorithm: ed25519}, an Ed25519 key.
 */
public final class CertificateAuthority {
  private final KeyPair keys;
  private final X509Certificate certificate;
  private final SecureRandom random;

  private CertificateAuthority(KeyPair keys, X509Certificate certificate, SecureRandom random) {
    this.keys = keys;
    this.certificate = certificate;
    this.random = random;
  }

  /** A self-signed root CA named {@code CN=commonName, O=organization}. */
  public static CertificateAuthority root(
      String organization,
      String commonName,
      Instant notBefore,
      Instant notAfter,
      SecureRandom random) {
    return root(organization, commonName, notBefore, notAfter, KeyAlgorithm.ECDSA, random);
  }

  /**
   * A self-signed root CA whose key is of {@code algorithm}, as cryptogen's CA.PublicKeyAlgorithm.
   */
  public static CertificateAuthority root(
      String organization,
      String commonName,
      Instant notBefore,
      Instant notAfter,
      KeyAlgorithm algorithm,
      SecureRandom random) {
    KeyPair keys = KeyPairs.generate(algorithm, random);
    X500Name name = name(organization, commonName, List.of());
    X509Certificate cert =
        build(
            name,
            keys.getPublic(),
            name,
            keys,
            null,
            notBefore,
            notAfter,
            Kind.CA,
            List.of(),
            random);
    return new CertificateAuthority(keys, cert, random);
  }

  /**
   * A CA from its certificate and private key, as cryptogen leaves them in {@code ca/} and {@code
   * tlsca/}: to issue more certificates from material written earlier (a renewed or short-lived
   * one).
   */
  public static CertificateAuthority of(
      X509Certificate certificate, java.security.PrivateKey key, SecureRandom random) {
    return new CertificateAuthority(
        new KeyPair(certificate.getPublicKey(), key), certificate, random);
  }

  /** An intermediate CA issued by this one. */
  public CertificateAuthority intermediate(String commonName, Instant notBefore, Instant notAfter) {
    KeyPair k = KeyPairs.generate(algorithm(), random);
    X509Certificate cert =
        build(
            name(organization(), commonName, List.of()),
            k.getPublic(),
            subject(),
            keys,
            certificate,
            notBefore,
            notAfter,
            Kind.CA,
            List.of(),
            random);
    return new CertificateAuthority(k, cert, random);
  }

  /**
   * A leaf certificate for {@code publicKey}; its subject has no O, as cryptogen's leaves.
   *
   * @param ous subject OU values (NodeOU classification: client, peer, admin, orderer)
   * @param sans DNS names or IP addresses for a TLS certificate (empty for a signing certificate)
   */
  public X509Certificate issue(
      String commonName,
      List<String> ous,
      List<String> sans,
      PublicKey publicKey,
      Instant notBefore,
      Instant notAfter) {
    return build(
        name("", commonName, ous),
        publicKey,
        subject(),
        keys,
        certificate,
        notBefore,
        notAfter,
        sans.isEmpty() ? Kind.SIGNING : Kind.TLS,
        sans,
        random);
  }

  /**
   * A TLS certificate (server and client authentication) for {@code publicKey}, with the given
   * subject alternative names, possibly none (a user's client certificate).
   */
  public X509Certificate issueTls(
      String commonName,
      List<String> sans,
      PublicKey publicKey,
      Instant notBefore,
      Instant notAfter) {
    return build(
        name("", commonName, List.of()),
        publicKey,
        subject(),
        keys,
        certificate,
        notBefore,
        notAfter,
        Kind.TLS,
        sans,
        random);
  }

  private enum Kind {
    CA,
    SIGNING,
    TLS
  }

  /** A CRL of this CA revoking the given serial numbers. */
  public X509CRL revoke(List<BigInteger> serials, Instant now) {
    try {
      X509v2CRLBuilder b = new JcaX509v2CRLBuilder(certificate, Date.from(now));
      b.setNextUpdate(Date.from(now.plusSeconds(3600L * 24 * 365)));
      for (BigInteger serial : serials) {
        b.addCRLEntry(serial, Date.from(now), CRLReason.keyCompromise);
      }
      b.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new AuthorityKeyIdentifier(issuerKeyIdentifier(certificate)));
      return new JcaX509CRLConverter().getCRL(b.build(signer(keys)));
    } catch (java.security.GeneralSecurityException | org.bouncycastle.cert.CertIOException e) {
      throw new IllegalStateException("CRL creation failed", e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The algorithm of this CA's own key, which signs what it issues. */
  public KeyAlgorithm algorithm() {
    return Ed25519.isKey(keys.getPublic()) ? KeyAlgorithm.ED25519 : KeyAlgorithm.ECDSA;
  }

  public KeyPair keys() {
    return keys;
  }

  private X500Name subject() {
    return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
  }

  private String organization() {
    var rdns = subject().getRDNs(BCStyle.O);
    return rdns.length == 0 ? "" : rdns[0].getFirst().getValue().toString();
  }

  private static X500Name name(String organization, String commonName, List<String> ous) {
    X500NameBuilder b =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.C, "US")
            .addRDN(BCStyle.ST, "California")
            .addRDN(BCStyle.L, "San Francisco");
    if (!organization.isEmpty()) {
      b.addRDN(BCStyle.O, organization);
    }
    for (String ou : ous) {
      b.addRDN(BCStyle.OU, ou);
    }
    return b.addRDN(BCStyle.CN, commonName).build();
  }

  private static X509Certificate build(
      X500Name subject,
      PublicKey publicKey,
      X500Name issuer,
      KeyPair issuerKeys,
      X509Certificate issuerCert,
      Instant notBefore,
      Instant notAfter,
      Kind kind,
      List<String> sans,
      SecureRandom random) {
    try {
      BigInteger serial = new BigInteger(128, random);
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              issuer, serial, Date.from(notBefore), Date.from(notAfter), subject, publicKey);
      // in the order Go's x509.CreateCertificate writes them, as cryptogen's certificates have
      // them: key usage, extended key usage, basic constraints, subject and authority key IDs,
      // subject alternative names
      if (kind == Kind.CA) {
        b.addExtension(
            Extension.keyUsage,
            true,
            new KeyUsage(
                KeyUsage.digitalSignature
                    | KeyUsage.keyEncipherment
                    | KeyUsage.keyCertSign
                    | KeyUsage.cRLSign));
        b.addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(
                new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        // cryptogen: the SHA-256 of the uncompressed public point (of the raw 32 bytes of an
        // Ed25519 key); leaves carry none
        b.addExtension(
            Extension.subjectKeyIdentifier,
            false,
            new SubjectKeyIdentifier(keyIdentifier(publicKey)));
      } else if (kind == Kind.SIGNING) {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      } else {
        b.addExtension(
            Extension.keyUsage,
            true,
            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        b.addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(
                new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      }
      if (issuerCert != null) {
        b.addExtension(
            Extension.authorityKeyIdentifier,
            false,
            new AuthorityKeyIdentifier(issuerKeyIdentifier(issuerCert)));
      }
      if (kind == Kind.TLS && !sans.isEmpty()) {
        GeneralName[] names = new GeneralName[sans.size()];
        for (int i = 0; i < sans.size(); i++) {
          String s = sans.get(i);
          names[i] =
              s.matches("[0-9.]+|[0-9a-fA-F:]+:[0-9a-fA-F:]*")
                  ? new GeneralName(GeneralName.iPAddress, s)
                  : new GeneralName(GeneralName.dNSName, s);
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      }
      return new JcaX509CertificateConverter().getCertificate(b.build(signer(issuerKeys)));
    } catch (java.security.GeneralSecurityException | org.bouncycastle.cert.CertIOException e) {
      throw new IllegalStateException("certificate creation failed for " + subject, e);
    }
  }

  /**
   * The issuer certificate's own subject key ID, as Go's x509 copies the parent's into a child's
   * authority key ID: a CA that cryptogen v3 wrote has one derived from its private key, not from
   * its public point, and a chain checker matching the two IDs would find no issuer otherwise.
   */
  private static byte[] issuerKeyIdentifier(X509Certificate issuer) {
    byte[] own = KeyIdentifiers.subject(issuer);
    return own.length > 0 ? own : keyIdentifier(issuer.getPublicKey());
  }

  private static byte[] keyIdentifier(PublicKey key) {
    byte[] point = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
    return Hashes.sha256(point);
  }

  /** SHA256withECDSA for an EC key, Ed25519 for an Ed25519 key, as Go's x509 signs with them. */
  private static ContentSigner signer(KeyPair keys) {
    String algorithm = Ed25519.isKey(keys.getPrivate()) ? "Ed25519" : "SHA256withECDSA";
    try {
      return new JcaContentSignerBuilder(algorithm).build(keys.getPrivate());
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("no " + algorithm + " signer", e);
    }
  }
}

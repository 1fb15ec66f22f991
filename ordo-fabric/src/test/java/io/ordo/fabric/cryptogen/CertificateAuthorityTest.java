package io.ordo.fabric.cryptogen;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.fabric.TestData;
import io.ordo.fabric.crypto.KeyIdentifiers;
import io.ordo.fabric.crypto.KeyPairs;
import io.ordo.fabric.crypto.Pem;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * cryptogen v3.0.0's TLS CA, whose subject key ID is not the SHA-256 of its public point: what it
   * issues must name that ID, or a chain checker matching the two finds no issuer.
   */
  @Test
  void whatACryptogenCaIssuesNamesTheCasOwnSubjectKeyId() {
    X509Certificate fabricCa =
        Pem.certificate(
            TestData.read(
                TestData.network()
                    .resolve(
                        "crypto/ordererOrganizations/example.com/tlsca/tlsca.example.com-cert.pem")));
    SecureRandom random = new SecureRandom();
    // the key only signs here; the IDs are what is checked
    CertificateAuthority ca =
        CertificateAuthority.of(fabricCa, KeyPairs.p256(random).getPrivate(), random);
    KeyPair leaf = KeyPairs.p256(random);

    X509Certificate tls =
        ca.issueTls(
            "orderer9.example.com",
            List.of("orderer9.example.com", "127.0.0.1"),
            leaf.getPublic(),
            NOW,
            NOW.plus(Duration.ofDays(1)));
    X509CRL crl = ca.revoke(List.of(BigInteger.TEN), NOW);

    byte[] caId = KeyIdentifiers.subject(fabricCa);
    assertThat(caId).isNotEmpty();
    assertThat(KeyIdentifiers.authority(tls)).isEqualTo(caId);
    assertThat(authorityKeyId(crl.getExtensionValue(Extension.authorityKeyIdentifier.getId())))
        .isEqualTo(caId);
  }

  @Test
  void whatItsOwnRootIssuesNamesTheRootsSubjectKeyId() throws Exception {
    SecureRandom random = new SecureRandom();
    CertificateAuthority root =
        CertificateAuthority.root(
            "example.com", "tlsca.example.com", NOW, NOW.plus(Duration.ofDays(1)), random);
    X509Certificate tls =
        root.issueTls(
            "orderer1.example.com",
            List.of("orderer1.example.com"),
            KeyPairs.p256(random).getPublic(),
            NOW,
            NOW.plus(Duration.ofDays(1)));

    assertThat(KeyIdentifiers.authority(tls)).isEqualTo(KeyIdentifiers.subject(root.certificate()));
    tls.verify(root.certificate().getPublicKey());
  }

  private static byte[] authorityKeyId(byte[] ext) {
    return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets())
        .getKeyIdentifier();
  }
}

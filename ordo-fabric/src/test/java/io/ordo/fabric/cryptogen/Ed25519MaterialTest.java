package io.ordo.fabric.cryptogen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordo.fabric.TestOrg;
import io.ordo.fabric.crypto.Ed25519;
import io.ordo.fabric.crypto.KeyAlgorithm;
import io.ordo.fabric.crypto.Pem;
import io.ordo.fabric.msp.FabricMsp;
import io.ordo.fabric.msp.IdentityException;
import io.ordo.fabric.msp.LocalSigningIdentity;
import io.ordo.fabric.msp.MspDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.x509.Extension;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code PublicKeyAlgorithm} in a crypto-config.yaml, as Fabric v3's cryptogen reads it: per CA,
 * per spec, per Template and per Users; Admin@domain ECDSA whatever the org says; a node's TLS key
 * of the node's algorithm.
 */
class Ed25519MaterialTest {
  private static final String CONFIG =
      """
      OrdererOrgs:
        - Name: Orderer
          Domain: example.com
          EnableNodeOUs: true
          CA:
            PublicKeyAlgorithm: ed25519
          Specs:
            - Hostname: orderer1
              PublicKeyAlgorithm: ed25519
            - Hostname: orderer2
      PeerOrgs:
        - Name: Org1
          Domain: org1.example.com
          EnableNodeOUs: true
          CA:
            PublicKeyAlgorithm: ed25519
          Template:
            Count: 1
            PublicKeyAlgorithm: ed25519
          Users:
            Count: 1
            PublicKeyAlgorithm: ed25519
        - Name: Org2
          Domain: org2.example.com
          EnableNodeOUs: true
          Users:
            Count: 1
            PublicKeyAlgorithm: ed25519
      """;

  @TempDir static Path dir;
  static Path out;

  @BeforeAll
  static void generate() throws Exception {
    Path file = dir.resolve("crypto-config.yaml");
    Files.writeString(file, CONFIG);
    out = dir.resolve("crypto");
    new NetworkMaterial(new SecureRandom(), TestOrg.NOW).write(CryptoConfig.read(file), out);
  }

  @Test
  void eachCertificateHasTheAlgorithmCryptogenGivesIt() throws Exception {
    Path orderer = out.resolve("ordererOrganizations/example.com");
    assertEd25519(orderer.resolve("ca/ca.example.com-cert.pem"), true);
    assertEd25519(orderer.resolve("tlsca/tlsca.example.com-cert.pem"), true);
    assertEd25519(
        orderer.resolve(
            "orderers/orderer1.example.com/msp/signcerts/orderer1.example.com-cert.pem"),
        true);
    assertEd25519(orderer.resolve("orderers/orderer1.example.com/tls/server.crt"), true);
    // a spec without PublicKeyAlgorithm is ECDSA, under the org's Ed25519 CA
    assertEd25519(
        orderer.resolve(
            "orderers/orderer2.example.com/msp/signcerts/orderer2.example.com-cert.pem"),
        false);
    assertEd25519(orderer.resolve("orderers/orderer2.example.com/tls/server.crt"), false);
    assertEd25519(
        orderer.resolve("users/Admin@example.com/msp/signcerts/Admin@example.com-cert.pem"), false);

    Path org1 = out.resolve("peerOrganizations/org1.example.com");
    assertEd25519(
        org1.resolve("peers/peer0.org1.example.com/msp/signcerts/peer0.org1.example.com-cert.pem"),
        true);
    assertEd25519(
        org1.resolve("users/User1@org1.example.com/msp/signcerts/User1@org1.example.com-cert.pem"),
        true);
    assertEd25519(org1.resolve("users/User1@org1.example.com/tls/client.crt"), true);
    assertEd25519(
        org1.resolve("users/Admin@org1.example.com/msp/signcerts/Admin@org1.example.com-cert.pem"),
        false);

    // an ECDSA CA issuing an Ed25519 user, as cryptogen does with Users.PublicKeyAlgorithm alone
    Path org2 = out.resolve("peerOrganizations/org2.example.com");
    assertEd25519(org2.resolve("ca/ca.org2.example.com-cert.pem"), false);
    assertEd25519(
        org2.resolve("users/User1@org2.example.com/msp/signcerts/User1@org2.example.com-cert.pem"),
        true);
  }

  @Test
  void anEd25519CaCarriesTheSha256OfItsRawKeyAsSubjectKeyIdentifier() throws Exception {
    X509Certificate ca =
        cert(out.resolve("ordererOrganizations/example.com/ca/ca.example.com-cert.pem"));
    byte[] ski =
        org.bouncycastle.asn1.x509.SubjectKeyIdentifier.getInstance(
                org.bouncycastle.asn1.ASN1OctetString.getInstance(
                        ca.getExtensionValue(Extension.subjectKeyIdentifier.getId()))
                    .getOctets())
            .getKeyIdentifier();
    byte[] raw =
        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(ca.getPublicKey().getEncoded())
            .getPublicKeyData()
            .getBytes();
    assertThat(raw).hasSize(32);
    assertThat(ski).isEqualTo(io.ordo.fabric.crypto.Hashes.sha256(raw));
  }

  @Test
  void ed25519SigningIdentitiesLoadSignAndSatisfyTheirRoles() {
    Path org = out.resolve("ordererOrganizations/example.com");
    FabricMsp msp = new FabricMsp(MspDirectory.verifyingConfig(org.resolve("msp"), "OrdererMSP"));
    LocalSigningIdentity orderer =
        LocalSigningIdentity.load(
            org.resolve("orderers/orderer1.example.com/msp"), "OrdererMSP", TestOrg.ECDSA);
    assertThat(Ed25519.isKey(orderer.identity().certificate().getPublicKey())).isTrue();
    msp.satisfies(orderer.identity(), role("OrdererMSP", MSPRole.MSPRoleType.ORDERER));
    assertThat(orderer.sign(new byte[] {1})).hasSize(64);
    LocalSigningIdentity admin =
        LocalSigningIdentity.load(
            org.resolve("users/Admin@example.com/msp"), "OrdererMSP", TestOrg.ECDSA);
    msp.satisfies(admin.identity(), role("OrdererMSP", MSPRole.MSPRoleType.ADMIN));
  }

  @Test
  void aKeyOfTheOtherAlgorithmDoesNotMatchTheCertificate() throws Exception {
    Path node = out.resolve("ordererOrganizations/example.com/orderers/orderer1.example.com/msp");
    byte[] certPem = Files.readAllBytes(node.resolve("signcerts/orderer1.example.com-cert.pem"));
    var ecKey = io.ordo.fabric.crypto.KeyPairs.p256(new SecureRandom()).getPrivate();
    assertThatThrownBy(() -> new LocalSigningIdentity("OrdererMSP", certPem, ecKey, TestOrg.ECDSA))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not match the certificate");
  }

  @Test
  void anRsaIdentityIsRefusedAsFabricsMspRefusesIt() throws Exception {
    TestOrg org = new TestOrg("RsaOrg");
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    PublicKey rsa = g.generateKeyPair().getPublic();
    X509Certificate cert =
        org.ca.issue(
            "rsa", List.of("client"), List.of(), rsa, TestOrg.NOW, TestOrg.NOW.plusSeconds(3600));
    FabricMsp msp = org.msp();
    var identity = new io.ordo.fabric.msp.Identity("RsaOrg", cert);
    assertThatThrownBy(() -> msp.validate(identity))
        .isInstanceOfSatisfying(
            IdentityException.class,
            e -> assertThat(e.reason()).isEqualTo(IdentityException.Reason.UNSUPPORTED_KEY))
        .hasMessageContaining("RSA is not supported");
  }

  @Test
  void anUnknownAlgorithmIsOneLineNamingTheSection() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file,
        """
        PeerOrgs:
          - Name: Org1
            Domain: org1.example.com
            Template:
              Count: 1
              PublicKeyAlgorithm: rsa
        """);
    assertThatThrownBy(() -> CryptoConfig.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "org1.example.com Template: PublicKeyAlgorithm \"rsa\" is not supported (cryptogen"
                + " takes \"ecdsa\" or \"ed25519\")");
    assertThat(KeyAlgorithm.fromYaml("", "x")).isEqualTo(KeyAlgorithm.ECDSA);
  }

  private static void assertEd25519(Path file, boolean ed25519) throws Exception {
    X509Certificate c = cert(file);
    assertThat(Ed25519.isKey(c.getPublicKey())).as(file.toString()).isEqualTo(ed25519);
    if (!ed25519) {
      assertThat(c.getPublicKey().getAlgorithm()).as(file.toString()).isEqualTo("EC");
    }
  }

  private static X509Certificate cert(Path file) throws Exception {
    return Pem.certificate(Files.readAllBytes(file));
  }

  private static MSPPrincipal role(String mspId, MSPRole.MSPRoleType type) {
    return MSPPrincipal.newBuilder()
        .setPrincipalClassification(MSPPrincipal.Classification.ROLE)
        .setPrincipal(
            MSPRole.newBuilder().setMspIdentifier(mspId).setRole(type).build().toByteString())
        .build();
  }
}

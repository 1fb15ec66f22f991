package io.ordo.fabric.cryptogen;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.fabric.TestData;
import io.ordo.fabric.TestOrg;
import io.ordo.fabric.configtx.TlsChains;
import io.ordo.fabric.crypto.Pem;
import io.ordo.fabric.msp.FabricMsp;
import io.ordo.fabric.msp.LocalSigningIdentity;
import io.ordo.fabric.msp.MspDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkMaterialTest {
  private static final Path VECTORS = TestData.network();
  @TempDir static Path out;

  @BeforeAll
  static void generate() {
    CryptoConfig config = CryptoConfig.read(VECTORS.resolve("crypto-config.yaml"));
    new NetworkMaterial(new SecureRandom(), TestOrg.NOW).write(config, out);
  }

  @Test
  void theLayoutIsCryptogensPlusThePrivateKeys() throws Exception {
    Set<String> expected = files(VECTORS.resolve("crypto"));
    Set<String> generated = files(out);
    Set<String> keys = new TreeSet<>(generated);
    keys.removeAll(expected);
    assertThat(generated).containsAll(expected);
    assertThat(keys)
        .allMatch(
            f -> f.endsWith("/priv_sk") || f.endsWith("/server.key") || f.endsWith("/client.key"))
        .contains(
            "ordererOrganizations/example.com/ca/priv_sk",
            "ordererOrganizations/example.com/orderers/orderer1.example.com/msp/keystore/priv_sk",
            "ordererOrganizations/example.com/orderers/orderer1.example.com/tls/server.key",
            "peerOrganizations/org1.example.com/users/User1@org1.example.com/tls/client.key");
    for (String f : expected) {
      if (f.endsWith("config.yaml")) {
        assertThat(Files.readString(out.resolve(f)))
            .as(f)
            .isEqualTo(Files.readString(VECTORS.resolve("crypto").resolve(f)));
      }
    }
  }

  @Test
  void everyCertificateHasTheShapeOfCryptogensCertificate() throws Exception {
    for (String f : files(VECTORS.resolve("crypto"))) {
      if (!f.endsWith(".pem") && !f.endsWith(".crt")) {
        continue;
      }
      X509Certificate real =
          Pem.certificate(Files.readAllBytes(VECTORS.resolve("crypto").resolve(f)));
      X509Certificate ours = Pem.certificate(Files.readAllBytes(out.resolve(f)));
      assertThat(X500Name.getInstance(ours.getSubjectX500Principal().getEncoded()))
          .as(f)
          .isEqualTo(X500Name.getInstance(real.getSubjectX500Principal().getEncoded()));
      assertThat(ours.getIssuerX500Principal()).as(f).isEqualTo(real.getIssuerX500Principal());
      assertThat(ours.getCriticalExtensionOIDs()).as(f).isEqualTo(real.getCriticalExtensionOIDs());
      assertThat(ours.getNonCriticalExtensionOIDs())
          .as(f)
          .isEqualTo(real.getNonCriticalExtensionOIDs());
      assertThat(ours.getKeyUsage()).as(f).isEqualTo(real.getKeyUsage());
      assertThat(ours.getExtendedKeyUsage()).as(f).isEqualTo(real.getExtendedKeyUsage());
      assertThat(ours.getBasicConstraints()).as(f).isEqualTo(real.getBasicConstraints());
      assertThat(String.valueOf(ours.getSubjectAlternativeNames()))
          .as(f)
          .isEqualTo(String.valueOf(real.getSubjectAlternativeNames()));
      assertThat(Duration.between(ours.getNotBefore().toInstant(), ours.getNotAfter().toInstant()))
          .as(f)
          .isEqualTo(
              Duration.between(real.getNotBefore().toInstant(), real.getNotAfter().toInstant()));
    }
  }

  /** Go's x509 writes extensions in a fixed order; a certificate's bytes follow it. */
  @Test
  void everyCertificateListsItsExtensionsInCryptogensOrder() throws Exception {
    for (String f : files(VECTORS.resolve("crypto"))) {
      if (!f.endsWith(".pem") && !f.endsWith(".crt")) {
        continue;
      }
      assertThat(extensionOrder(out.resolve(f)))
          .as(f)
          .isEqualTo(extensionOrder(VECTORS.resolve("crypto").resolve(f)));
    }
  }

  @Test
  void withNodeOusEveryMspHasTheEmptyAdmincertsFolderCryptogenLeaves() throws Exception {
    List<Path> msps;
    try (Stream<Path> s = Files.walk(out)) {
      msps = s.filter(p -> p.getFileName().toString().equals("msp")).toList();
    }
    assertThat(msps).hasSize(9);
    for (Path msp : msps) {
      assertThat(msp.resolve("admincerts")).as("%s", msp).isEmptyDirectory();
    }
  }

  @Test
  void withoutNodeOusAUsersMspNamesTheUserAsAdminAndTheOthersNameTheOrgAdmin(@TempDir Path dir)
      throws Exception {
    Path yaml = dir.resolve("crypto-config.yaml");
    Files.writeString(
        yaml,
        Files.readString(VECTORS.resolve("crypto-config.yaml"))
            .replace("EnableNodeOUs: true", "EnableNodeOUs: false"));
    Path material = dir.resolve("crypto");
    new NetworkMaterial(new SecureRandom(), TestOrg.NOW).write(CryptoConfig.read(yaml), material);
    Path org = material.resolve("peerOrganizations/org1.example.com");
    Path admin =
        org.resolve("users/Admin@org1.example.com/msp/signcerts/Admin@org1.example.com-cert.pem");
    Path user = org.resolve("users/User1@org1.example.com/msp");
    assertThat(files(user.resolve("admincerts")))
        .containsExactly("User1@org1.example.com-cert.pem");
    assertThat(user.resolve("admincerts/User1@org1.example.com-cert.pem"))
        .hasSameBinaryContentAs(user.resolve("signcerts/User1@org1.example.com-cert.pem"));
    for (String msp :
        List.of("msp", "peers/peer0.org1.example.com/msp", "users/Admin@org1.example.com/msp")) {
      assertThat(files(org.resolve(msp).resolve("admincerts")))
          .as(msp)
          .containsExactly("Admin@org1.example.com-cert.pem");
      assertThat(org.resolve(msp).resolve("admincerts/Admin@org1.example.com-cert.pem"))
          .as(msp)
          .hasSameBinaryContentAs(admin);
    }
  }

  private static List<String> extensionOrder(Path pem) throws Exception {
    byte[] der = Pem.certificate(Files.readAllBytes(pem)).getEncoded();
    return Stream.of(
            org.bouncycastle.asn1.x509.Certificate.getInstance(der)
                .getTBSCertificate()
                .getExtensions()
                .getExtensionOIDs())
        .map(Object::toString)
        .toList();
  }

  @Test
  void theOrdererSigningIdentityLoadsAndIsAValidOrdererOfItsOrg() {
    Path org = out.resolve("ordererOrganizations/example.com");
    FabricMsp msp = new FabricMsp(MspDirectory.verifyingConfig(org.resolve("msp"), "OrdererMSP"));
    LocalSigningIdentity orderer =
        LocalSigningIdentity.load(
            org.resolve("orderers/orderer1.example.com/msp"), "OrdererMSP", TestOrg.ECDSA);
    msp.validate(orderer.identity());
    msp.satisfies(orderer.identity(), role("OrdererMSP", MSPRole.MSPRoleType.ORDERER));

    LocalSigningIdentity admin =
        LocalSigningIdentity.load(
            org.resolve("users/Admin@example.com/msp"), "OrdererMSP", TestOrg.ECDSA);
    msp.satisfies(admin.identity(), role("OrdererMSP", MSPRole.MSPRoleType.ADMIN));
  }

  @Test
  void thePeerOrgUserIsAClientAndItsPeerAPeer() {
    Path org = out.resolve("peerOrganizations/org1.example.com");
    FabricMsp msp = new FabricMsp(MspDirectory.verifyingConfig(org.resolve("msp"), "Org1MSP"));
    LocalSigningIdentity user =
        LocalSigningIdentity.load(
            org.resolve("users/User1@org1.example.com/msp"), "Org1MSP", TestOrg.ECDSA);
    msp.satisfies(user.identity(), role("Org1MSP", MSPRole.MSPRoleType.CLIENT));
    LocalSigningIdentity peer =
        LocalSigningIdentity.load(
            org.resolve("peers/peer0.org1.example.com/msp"), "Org1MSP", TestOrg.ECDSA);
    msp.satisfies(peer.identity(), role("Org1MSP", MSPRole.MSPRoleType.PEER));
  }

  @Test
  void tlsCertificatesChainToTheOrgTlsCaAndNotToItsSigningCa() throws Exception {
    Path org = out.resolve("ordererOrganizations/example.com");
    X509Certificate tlsCa = cert(org.resolve("tlsca/tlsca.example.com-cert.pem"));
    X509Certificate ca = cert(org.resolve("ca/ca.example.com-cert.pem"));
    X509Certificate server = cert(org.resolve("orderers/orderer2.example.com/tls/server.crt"));
    X509Certificate client = cert(org.resolve("users/Admin@example.com/tls/client.crt"));

    assertThat(new TlsChains(List.of(tlsCa), List.of()).problem(server, Optional.of(TestOrg.NOW)))
        .isEmpty();
    assertThat(new TlsChains(List.of(tlsCa), List.of()).problem(client, Optional.of(TestOrg.NOW)))
        .isEmpty();
    assertThat(new TlsChains(List.of(ca), List.of()).problem(server, Optional.empty())).isPresent();
    // the TLS key matches the certificate
    var key =
        Pem.privateKey(
            Files.readAllBytes(org.resolve("orderers/orderer2.example.com/tls/server.key")));
    byte[] probe = {1, 2, 3};
    assertThat(TestOrg.ECDSA.isValid(server.getPublicKey(), probe, TestOrg.ECDSA.sign(key, probe)))
        .isTrue();
  }

  private static MSPPrincipal role(String mspId, MSPRole.MSPRoleType role) {
    return MSPPrincipal.newBuilder()
        .setPrincipalClassification(MSPPrincipal.Classification.ROLE)
        .setPrincipal(
            MSPRole.newBuilder().setMspIdentifier(mspId).setRole(role).build().toByteString())
        .build();
  }

  private static X509Certificate cert(Path p) throws Exception {
    return Pem.certificate(Files.readAllBytes(p));
  }

  private static Set<String> files(Path root) throws Exception {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(Files::isRegularFile).forEach(p -> out.add(root.relativize(p).toString()));
    }
    return new TreeSet<>(out);
  }
}

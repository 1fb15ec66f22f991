package io.ordo.fabric.msp;

import static io.ordo.fabric.msp.IdentityException.Reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordo.fabric.TestData;
import io.ordo.fabric.TestOrg;
import io.ordo.fabric.crypto.Pem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.OrganizationUnit;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.junit.jupiter.api.Test;

class FabricMspTest {
  private static final Path ORG1 =
      TestData.network().resolve("crypto/peerOrganizations/org1.example.com");
  private static final Path ORDERER_ORG =
      TestData.network().resolve("crypto/ordererOrganizations/example.com");

  static MSPPrincipal role(String mspId, MSPRole.MSPRoleType role) {
    return MSPPrincipal.newBuilder()
        .setPrincipalClassification(MSPPrincipal.Classification.ROLE)
        .setPrincipal(
            MSPRole.newBuilder().setMspIdentifier(mspId).setRole(role).build().toByteString())
        .build();
  }

  private static Identity networkIdentity(FabricMsp msp, Path mspDir) {
    byte[] pem = MspDirectory.files(mspDir.resolve("signcerts")).get(0).toByteArray();
    return msp.deserialize(
        SerializedIdentity.newBuilder()
            .setMspid(msp.mspId())
            .setIdBytes(com.google.protobuf.ByteString.copyFrom(pem))
            .build());
  }

  @Test
  void cryptogenIdentitiesSatisfyExactlyTheirNodeOuRoles() {
    FabricMsp org1 = new FabricMsp(MspDirectory.verifyingConfig(ORG1.resolve("msp"), "Org1MSP"));
    Identity user = networkIdentity(org1, ORG1.resolve("users/User1@org1.example.com/msp"));
    Identity admin = networkIdentity(org1, ORG1.resolve("users/Admin@org1.example.com/msp"));
    Identity peer = networkIdentity(org1, ORG1.resolve("peers/peer0.org1.example.com/msp"));
    org1.validate(user);
    org1.satisfies(user, role("Org1MSP", MSPRole.MSPRoleType.MEMBER));
    org1.satisfies(user, role("Org1MSP", MSPRole.MSPRoleType.CLIENT));
    org1.satisfies(admin, role("Org1MSP", MSPRole.MSPRoleType.ADMIN));
    org1.satisfies(peer, role("Org1MSP", MSPRole.MSPRoleType.PEER));
    refused(
        () -> org1.satisfies(user, role("Org1MSP", MSPRole.MSPRoleType.ADMIN)), Reason.WRONG_ROLE);
    refused(
        () -> org1.satisfies(user, role("Org1MSP", MSPRole.MSPRoleType.PEER)), Reason.WRONG_ROLE);
    refused(
        () -> org1.satisfies(peer, role("Org1MSP", MSPRole.MSPRoleType.ORDERER)),
        Reason.WRONG_ROLE);
    refused(
        () -> org1.satisfies(user, role("OrdererMSP", MSPRole.MSPRoleType.MEMBER)),
        Reason.WRONG_MSP);

    FabricMsp orderers =
        new FabricMsp(MspDirectory.verifyingConfig(ORDERER_ORG.resolve("msp"), "OrdererMSP"));
    Identity orderer1 =
        networkIdentity(orderers, ORDERER_ORG.resolve("orderers/orderer1.example.com/msp"));
    orderers.satisfies(orderer1, role("OrdererMSP", MSPRole.MSPRoleType.ORDERER));
    // an Org1 certificate presented as OrdererMSP does not chain to OrdererMSP's CA
    Identity impostor =
        orderers.deserialize(
            SerializedIdentity.newBuilder()
                .setMspid("OrdererMSP")
                .setIdBytes(user.serialize().getIdBytes())
                .build());
    refused(() -> orderers.validate(impostor), Reason.UNKNOWN_CA);
  }

  @Test
  void anOuPrincipalMatchesTheOuAndTheCertifyingChain() {
    TestOrg org = new TestOrg("OrgA");
    FabricMsp msp = org.msp();
    Identity peer = org.member("peer0", "peer").identity();
    byte[] certifiers = io.ordo.fabric.crypto.Hashes.sha256(encoded(org.ca.certificate()));
    MSPPrincipal peerOu =
        MSPPrincipal.newBuilder()
            .setPrincipalClassification(MSPPrincipal.Classification.ORGANIZATION_UNIT)
            .setPrincipal(
                OrganizationUnit.newBuilder()
                    .setMspIdentifier("OrgA")
                    .setOrganizationalUnitIdentifier("peer")
                    .setCertifiersIdentifier(com.google.protobuf.ByteString.copyFrom(certifiers))
                    .build()
                    .toByteString())
            .build();
    msp.satisfies(peer, peerOu);
    Identity client = org.member("c", "client").identity();
    refused(() -> msp.satisfies(client, peerOu), Reason.WRONG_OU);
  }

  @Test
  void anIdentityPrincipalMatchesOnlyThatCertificate() {
    TestOrg org = new TestOrg("OrgA");
    FabricMsp msp = org.msp();
    Identity a = org.member("a", "client").identity();
    Identity b = org.member("b", "client").identity();
    MSPPrincipal isA =
        MSPPrincipal.newBuilder()
            .setPrincipalClassification(MSPPrincipal.Classification.IDENTITY)
            .setPrincipal(a.serialize().toByteString())
            .build();
    msp.satisfies(a, isA);
    refused(() -> msp.satisfies(b, isA), Reason.NOT_THE_IDENTITY);
  }

  @Test
  void aRevokedCertificateIsRefused() {
    TestOrg org = new TestOrg("OrgA");
    LocalSigningIdentity revoked = org.member("gone", "client");
    var crl =
        org.ca.revoke(List.of(revoked.identity().certificate().getSerialNumber()), TestOrg.NOW);
    FabricMsp msp = org.msp(crl);
    refused(() -> msp.validate(revoked.identity()), Reason.REVOKED);
    msp.validate(org.member("kept", "client").identity());
  }

  @Test
  void aCaCertificateCannotBeAnIdentity() {
    TestOrg org = new TestOrg("OrgA");
    refused(
        () -> org.msp().validate(new Identity("OrgA", org.ca.certificate())),
        Reason.CA_AS_IDENTITY);
  }

  @Test
  void nodeOuClassificationNeedsExactlyOneRoleOu() {
    TestOrg org = new TestOrg("OrgA");
    FabricMsp msp = org.msp();
    var none =
        org.member(
            "x",
            List.of("engineering"),
            TestOrg.NOW.minusSeconds(60),
            TestOrg.NOW.plusSeconds(3600));
    var two =
        org.member(
            "y",
            List.of("client", "peer"),
            TestOrg.NOW.minusSeconds(60),
            TestOrg.NOW.plusSeconds(3600));
    refused(() -> msp.validate(none.identity()), Reason.NODE_OU);
    refused(() -> msp.validate(two.identity()), Reason.NODE_OU);
  }

  @Test
  void expiryIsNotPartOfMspValidationButTheExpirationCheckRefusesIt() {
    TestOrg org = new TestOrg("OrgA");
    var expired =
        org.member(
            "old",
            List.of("client"),
            TestOrg.NOW.minus(Duration.ofDays(10)),
            TestOrg.NOW.minus(Duration.ofDays(1)));
    org.msp().validate(expired.identity());
    refused(() -> expired.identity().checkNotExpired(TestOrg.NOW), Reason.EXPIRED);
  }

  @Test
  void anIntermediateCaChainValidates() {
    TestOrg org = new TestOrg("OrgA");
    var inter =
        org.ca.intermediate("ica", TestOrg.NOW.minusSeconds(3600), TestOrg.NOW.plusSeconds(86400));
    var kp = io.ordo.fabric.crypto.KeyPairs.p256(new java.security.SecureRandom());
    var cert =
        inter.issue(
            "leaf",
            List.of(),
            List.of(),
            kp.getPublic(),
            TestOrg.NOW.minusSeconds(60),
            TestOrg.NOW.plusSeconds(3600));
    var config =
        org.mspConfig().toBuilder()
            .clearFabricNodeOus()
            .addIntermediateCerts(
                com.google.protobuf.ByteString.copyFrom(Pem.encode(inter.certificate())))
            .build();
    FabricMsp msp = new FabricMsp(config);
    assertThat(msp.chainOf(new Identity("OrgA", cert))).hasSize(3);
    FabricMsp withoutIntermediate =
        new FabricMsp(org.mspConfig().toBuilder().clearFabricNodeOus().build());
    refused(() -> withoutIntermediate.validate(new Identity("OrgA", cert)), Reason.UNKNOWN_CA);
  }

  @Test
  void theManagerRefusesUnknownMspsAndGarbage() {
    TestOrg org = new TestOrg("OrgA");
    MspManager manager = new MspManager(List.of(org.msp()));
    var user = org.member("u", "client");
    assertThat(manager.deserialize(user.serializedIdentity()).mspId()).isEqualTo("OrgA");
    byte[] other = SerializedIdentity.newBuilder().setMspid("Nobody").build().toByteArray();
    refused(() -> manager.deserialize(other), Reason.UNKNOWN_MSP);
    refused(() -> manager.deserialize(new byte[] {(byte) 0xff}), Reason.MALFORMED);
  }

  @Test
  void aLocalSigningIdentityLoadsFromAnMspDirectory(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    TestOrg org = new TestOrg("OrgA");
    var kp = io.ordo.fabric.crypto.KeyPairs.p256(new java.security.SecureRandom());
    var other = io.ordo.fabric.crypto.KeyPairs.p256(new java.security.SecureRandom());
    var cert =
        org.ca.issue(
            "o1",
            List.of("orderer"),
            List.of(),
            kp.getPublic(),
            TestOrg.NOW.minusSeconds(60),
            TestOrg.NOW.plusSeconds(3600));
    java.nio.file.Files.createDirectories(dir.resolve("signcerts"));
    java.nio.file.Files.createDirectories(dir.resolve("keystore"));
    java.nio.file.Files.createDirectories(dir.resolve("cacerts"));
    java.nio.file.Files.write(dir.resolve("signcerts/cert.pem"), Pem.encode(cert));
    java.nio.file.Files.write(dir.resolve("keystore/a_sk"), Pem.encode(other.getPrivate()));
    java.nio.file.Files.write(dir.resolve("keystore/b_sk"), Pem.encode(kp.getPrivate()));
    java.nio.file.Files.write(dir.resolve("cacerts/ca.pem"), Pem.encode(org.ca.certificate()));
    LocalSigningIdentity id = LocalSigningIdentity.load(dir, "OrgA", TestOrg.ECDSA);
    byte[] sig = id.sign(new byte[] {7});
    assertThat(TestOrg.ECDSA.isValid(kp.getPublic(), new byte[] {7}, sig)).isTrue();
    FabricMsp msp = new FabricMsp(MspDirectory.verifyingConfig(dir, "OrgA"));
    msp.validate(new MspManager(List.of(msp)).deserialize(id.serializedIdentity()));
    assertThat(id.toString()).doesNotContain("PRIVATE");
  }

  private static byte[] encoded(java.security.cert.X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static void refused(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            IdentityException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}

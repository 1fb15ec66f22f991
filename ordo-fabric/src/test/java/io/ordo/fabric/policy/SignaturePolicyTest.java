package io.ordo.fabric.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.ordo.fabric.TestOrg;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.crypto.SignedData;
import io.ordo.fabric.msp.LocalSigningIdentity;
import io.ordo.fabric.msp.MspManager;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignaturePolicyTest {
  private static final byte[] DATA =
      "the bytes signed".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private final TestOrg a = new TestOrg("OrgA");
  private final TestOrg b = new TestOrg("OrgB");
  private final LocalSigningIdentity aAdmin = a.member("admin", "admin");
  private final LocalSigningIdentity aPeer = a.member("peer", "peer");
  private final LocalSigningIdentity bAdmin = b.member("admin", "admin");

  private MspManager msps() {
    return new MspManager(List.of(a.msp(), b.msp()));
  }

  private Policy policy(String dsl) {
    return policy(dsl, msps());
  }

  private static Policy policy(String dsl, MspManager msps) {
    return new SignaturePolicy("/Channel/Test", PolicyDsl.compile(dsl), msps, TestOrg.ECDSA);
  }

  private static SignedData signed(LocalSigningIdentity id) {
    return new SignedData(DATA, id.serializedIdentity(), id.sign(DATA));
  }

  @Test
  void theDslCompilesAsConfigtxgenDoes() {
    var env = PolicyDsl.compile("OR('A.admin', AND('B.member', 'A.admin'), OutOf(1, 'C.peer'))");
    assertThat(env.getIdentitiesCount()).isEqualTo(3);
    assertThat(env.getRule().getNOutOf().getN()).isEqualTo(1);
    assertThat(env.getRule().getNOutOf().getRules(1).getNOutOf().getN()).isEqualTo(2);
    assertThat(env.getRule().getNOutOf().getRules(1).getNOutOf().getRules(1).getSignedBy())
        .isZero();
    assertThatThrownBy(() -> PolicyDsl.compile("XOR('A.member')"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PolicyDsl.compile("OR('A.boss')"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void twoOutOfTwoNeedsTwoDistinctSigners() {
    Policy p = policy("AND('OrgA.admin', 'OrgB.admin')");
    p.evaluate(List.of(signed(aAdmin), signed(bAdmin)));
    var e = refused(p, List.of(signed(aAdmin), signed(aAdmin)));
    assertThat(e.hasCause("DUPLICATE")).isTrue();
  }

  @Test
  void aDuplicateSignerCountsOnceForTwoLeavesOfTheSamePrincipal() {
    Policy p = policy("AND('OrgA.member', 'OrgA.member')");
    refused(p, List.of(signed(aAdmin), signed(aAdmin)));
    p.evaluate(List.of(signed(aAdmin), signed(aPeer)));
  }

  @Test
  void zeroOutOfIsAlwaysSatisfiedAndNMoreThanTheRulesNever() {
    policy("OutOf(0, 'OrgA.admin')").evaluate(List.of());
    refused(
        policy("OutOf(3, 'OrgA.member', 'OrgB.member')"), List.of(signed(aAdmin), signed(bAdmin)));
    policy("OutOf(2, 'OrgA.member', 'OrgB.member', 'OrgA.peer')")
        .evaluate(List.of(signed(aPeer), signed(bAdmin)));
  }

  @Test
  void aSignerOfAnotherMspIsRefusedAsWrongMsp() {
    var e = refused(policy("OR('OrgB.member')"), List.of(signed(aAdmin)));
    assertThat(e.hasCause("WRONG_MSP")).isTrue();
  }

  @Test
  void aMemberWithoutTheRoleIsRefusedAsWrongRole() {
    var e = refused(policy("OR('OrgA.admin')"), List.of(signed(aPeer)));
    assertThat(e.hasCause("WRONG_ROLE")).isTrue();
  }

  @Test
  void aRevokedSignerIsRefused() {
    var crl = a.ca.revoke(List.of(aAdmin.identity().certificate().getSerialNumber()), TestOrg.NOW);
    Policy p = policy("OR('OrgA.member')", new MspManager(List.of(a.msp(crl), b.msp())));
    assertThat(refused(p, List.of(signed(aAdmin))).hasCause("REVOKED")).isTrue();
  }

  @Test
  void aCertificateFromAnUnknownCaIsRefused() {
    TestOrg rogue = new TestOrg("OrgA"); // same MSP ID, different CA
    var e = refused(policy("OR('OrgA.member')"), List.of(signed(rogue.member("x", "admin"))));
    assertThat(e.hasCause("UNKNOWN_CA")).isTrue();
  }

  @Test
  void aSignerOfAnMspNotOnTheChannelIsRefused() {
    TestOrg c = new TestOrg("OrgC");
    var e = refused(policy("OR('OrgA.member')"), List.of(signed(c.member("x", "admin"))));
    assertThat(e.hasCause("UNKNOWN_MSP")).isTrue();
  }

  @Test
  void aHighSSignatureIsRefused() {
    SignedData good = signed(aAdmin);
    BigInteger[] rs = Ecdsa.decode(good.signature().toByteArray());
    BigInteger n =
        ((java.security.interfaces.ECPublicKey) aAdmin.identity().certificate().getPublicKey())
            .getParams()
            .getOrder();
    SignedData high =
        new SignedData(
            good.data(),
            good.identity(),
            ByteString.copyFrom(Ecdsa.encode(rs[0], n.subtract(rs[1]))));
    var e = refused(policy("OR('OrgA.member')"), List.of(high));
    assertThat(e.hasCause("HIGH_S")).isTrue();
  }

  @Test
  void anExpiredSignerIsRefusedByTheExpirationCheck() {
    var expired =
        a.member(
            "old",
            List.of("admin"),
            TestOrg.NOW.minus(Duration.ofDays(30)),
            TestOrg.NOW.minus(Duration.ofDays(1)));
    MspManager msps = msps();
    Policy inner = policy("OR('OrgA.admin')", msps);
    inner.evaluate(List.of(signed(expired))); // Fabric's MSP ignores expiry
    Policy checked =
        new ExpirationCheckingPolicy(inner, msps, Clock.fixed(TestOrg.NOW, ZoneOffset.UTC));
    var e = refused(checked, List.of(signed(expired)));
    assertThat(e.hasCause("EXPIRED")).isTrue();
    checked.evaluate(List.of(signed(aAdmin)));
  }

  @Test
  void implicitMetaThresholdsFollowAnyAllMajority() {
    List<Policy> three = new ArrayList<>();
    three.add(policy("OR('OrgA.admin')"));
    three.add(policy("OR('OrgB.admin')"));
    three.add(policy("OR('OrgA.peer')"));
    var rule = org.hyperledger.fabric.protos.common.ImplicitMetaPolicy.Rule.class;
    var any = new ImplicitMetaPolicy("any", "Admins", rule.getEnumConstants()[0], three);
    var all = new ImplicitMetaPolicy("all", "Admins", rule.getEnumConstants()[1], three);
    var majority = new ImplicitMetaPolicy("maj", "Admins", rule.getEnumConstants()[2], three);
    assertThat(majority.threshold()).isEqualTo(2);
    any.evaluate(List.of(signed(bAdmin)));
    assertThatThrownBy(() -> majority.evaluate(List.of(signed(bAdmin))))
        .isInstanceOf(PolicyNotSatisfiedException.class)
        .hasMessageContaining("requires 2");
    majority.evaluate(List.of(signed(bAdmin), signed(aAdmin)));
    assertThatThrownBy(() -> all.evaluate(List.of(signed(bAdmin), signed(aAdmin))))
        .isInstanceOf(PolicyNotSatisfiedException.class);
    all.evaluate(List.of(signed(bAdmin), signed(aAdmin), signed(aPeer)));
    new ImplicitMetaPolicy("none", "Admins", rule.getEnumConstants()[1], List.of())
        .evaluate(List.of());
  }

  @Test
  void anImplicitMetaPolicyJudgesTheSignaturesOnceForAllItsSubPolicies() {
    MspManager channel = msps();
    var any =
        new ImplicitMetaPolicy(
            "/Channel/Application/Writers",
            "Writers",
            org.hyperledger.fabric.protos.common.ImplicitMetaPolicy.Rule.ANY,
            List.of(policy("OR('OrgA.admin')", channel), policy("OR('OrgB.admin')", channel)));
    // an OrgB signer: OrgA's policy is tried first and refuses it, OrgB's accepts it
    SignatureSet set = new SignatureSet(List.of(signed(bAdmin)));
    any.evaluate(set);
    assertThat(set.judgements()).isEqualTo(1);

    SignatureSet wrong = new SignatureSet(List.of(signed(a.member("client", "client"))));
    assertThatThrownBy(() -> any.evaluate(wrong))
        .isInstanceOf(PolicyNotSatisfiedException.class)
        .hasMessageContaining("0 sub-policies were satisfied");
    assertThat(wrong.judgements()).isEqualTo(1);
  }

  private static PolicyNotSatisfiedException refused(Policy p, List<SignedData> sigs) {
    try {
      p.evaluate(sigs);
    } catch (PolicyNotSatisfiedException e) {
      return e;
    }
    throw new AssertionError("policy " + p + " was satisfied");
  }
}

package io.ordo.fabric.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ordo.fabric.TestOrg;
import io.ordo.fabric.crypto.Hashes;
import io.ordo.fabric.crypto.KeyAlgorithm;
import io.ordo.fabric.crypto.SignedData;
import io.ordo.fabric.msp.LocalSigningIdentity;
import io.ordo.fabric.msp.MspManager;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Signature policies with Ed25519 signers, as Fabric v3 judges them: the signature is over the
 * signed bytes themselves (not their SHA-256), a signer counts by its certificate's key, and ECDSA
 * and Ed25519 signers count alike in one policy.
 */
class Ed25519PolicyTest {
  private static final byte[] DATA = "the bytes signed".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OTHER = "other bytes".getBytes(StandardCharsets.UTF_8);

  /** An org whose CA, like cryptogen's with CA.PublicKeyAlgorithm ed25519, has an Ed25519 key. */
  private final TestOrg ed = new TestOrg("EdOrg", KeyAlgorithm.ED25519);

  private final TestOrg ec = new TestOrg("EcOrg");
  private final TestOrg third = new TestOrg("ThirdOrg", KeyAlgorithm.ED25519);
  private final LocalSigningIdentity edAdmin = ed.member("admin", "admin", KeyAlgorithm.ED25519);
  private final LocalSigningIdentity edOther = ed.member("other", "admin", KeyAlgorithm.ED25519);
  private final LocalSigningIdentity ecAdmin = ec.member("admin", "admin");
  private final LocalSigningIdentity thirdAdmin =
      third.member("admin", "admin", KeyAlgorithm.ED25519);

  private Policy policy(String dsl) {
    return new SignaturePolicy(
        "/Channel/Test",
        PolicyDsl.compile(dsl),
        new MspManager(List.of(ed.msp(), ec.msp(), third.msp())),
        TestOrg.ECDSA);
  }

  private static SignedData signed(LocalSigningIdentity id) {
    return new SignedData(DATA, id.serializedIdentity(), id.sign(DATA));
  }

  @Test
  void anEd25519SignerSatisfiesItsRoleAndItsSignatureIs64BytesOverTheMessage() {
    SignedData sd = signed(edAdmin);
    assertThat(sd.signature().size()).isEqualTo(64);
    policy("OR('EdOrg.admin')").evaluate(List.of(sd));
  }

  @Test
  void aSignatureByAnotherKeyIsRefused() {
    // edOther signs, but the signature is presented under edAdmin's certificate
    SignedData wrongKey = new SignedData(DATA, edAdmin.serializedIdentity(), edOther.sign(DATA));
    var e = refused(policy("OR('EdOrg.admin')"), List.of(wrongKey));
    assertThat(e.hasCause("MISMATCH")).isTrue();
  }

  @Test
  void aSignatureOverOtherBytesIsRefused() {
    SignedData other = new SignedData(DATA, edAdmin.serializedIdentity(), edAdmin.sign(OTHER));
    var e = refused(policy("OR('EdOrg.admin')"), List.of(other));
    assertThat(e.hasCause("MISMATCH")).isTrue();
  }

  @Test
  void aSignatureOverTheMessagesSha256IsRefused() {
    // ECDSA's rule applied to an Ed25519 key: Fabric v3 verifies Ed25519 over the message itself
    SignedData prehashed =
        new SignedData(DATA, edAdmin.serializedIdentity(), edAdmin.sign(Hashes.sha256(DATA)));
    var e = refused(policy("OR('EdOrg.admin')"), List.of(prehashed));
    assertThat(e.hasCause("MISMATCH")).isTrue();
  }

  @Test
  void anEcdsaSignatureUnderAnEd25519CertificateIsRefusedAsMalformed() {
    SignedData ecdsaSig = new SignedData(DATA, edAdmin.serializedIdentity(), ecAdmin.sign(DATA));
    var e = refused(policy("OR('EdOrg.admin')"), List.of(ecdsaSig));
    assertThat(e.hasCause("MALFORMED")).isTrue();
  }

  @Test
  void anEd25519SignatureUnderAnEcdsaCertificateIsRefused() {
    SignedData edSig = new SignedData(DATA, ecAdmin.serializedIdentity(), edAdmin.sign(DATA));
    var e = refused(policy("OR('EcOrg.admin')"), List.of(edSig));
    assertThat(e.hasCause("MALFORMED")).isTrue();
  }

  @Test
  void aTruncatedOrFlippedSignatureIsRefused() {
    byte[] sig = edAdmin.sign(DATA);
    byte[] flipped = sig.clone();
    // S's lowest bit: S stays below the group order, so the signature is well formed and wrong
    // (a flipped bit in R may leave no point there, which the JDK refuses as malformed)
    flipped[32] ^= 1;
    var e1 =
        refused(
            policy("OR('EdOrg.admin')"),
            List.of(new SignedData(DATA, edAdmin.serializedIdentity(), flipped)));
    assertThat(e1.hasCause("MISMATCH")).isTrue();
    var e2 =
        refused(
            policy("OR('EdOrg.admin')"),
            List.of(
                new SignedData(
                    ByteString.copyFrom(DATA),
                    ByteString.copyFrom(edAdmin.serializedIdentity()),
                    ByteString.copyFrom(sig, 0, 63))));
    assertThat(e2.hasCause("MALFORMED")).isTrue();
  }

  @Test
  void aMixedTwoOutOfThreePolicyCountsEcdsaAndEd25519SignersAlike() {
    Policy p = policy("OutOf(2, 'EdOrg.admin', 'EcOrg.admin', 'ThirdOrg.admin')");
    p.evaluate(List.of(signed(edAdmin), signed(ecAdmin)));
    p.evaluate(List.of(signed(ecAdmin), signed(thirdAdmin)));
    p.evaluate(List.of(signed(edAdmin), signed(thirdAdmin)));
    // one good signer is not two; nor is one good and one Ed25519 signature over other bytes
    refused(p, List.of(signed(ecAdmin)));
    var e =
        refused(
            p,
            List.of(
                signed(ecAdmin),
                new SignedData(DATA, thirdAdmin.serializedIdentity(), thirdAdmin.sign(OTHER))));
    assertThat(e.hasCause("MISMATCH")).isTrue();
    // an Ed25519 signer counts once, however many times it signed
    var dup = refused(p, List.of(signed(edAdmin), signed(edAdmin)));
    assertThat(dup.hasCause("DUPLICATE")).isTrue();
  }

  @Test
  void anEcdsaIdentityIssuedByAnEd25519CaIsValid() {
    // cryptogen's Admin@domain: an ECDSA key whatever the org's PublicKeyAlgorithm, under the
    // org's Ed25519 CA
    LocalSigningIdentity ecUnderEd = ed.member("ecadmin", "admin", KeyAlgorithm.ECDSA);
    policy("OR('EdOrg.admin')").evaluate(List.of(signed(ecUnderEd)));
  }

  @Test
  void anEd25519IdentityOfAnotherCaWithTheSameMspIdIsRefused() {
    TestOrg rogue = new TestOrg("EdOrg", KeyAlgorithm.ED25519);
    var e =
        refused(
            policy("OR('EdOrg.member')"),
            List.of(signed(rogue.member("x", "admin", KeyAlgorithm.ED25519))));
    assertThat(e.hasCause("UNKNOWN_CA")).isTrue();
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

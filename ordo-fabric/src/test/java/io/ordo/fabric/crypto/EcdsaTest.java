package io.ordo.fabric.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EcdsaTest {
  private static final byte[] MESSAGE =
      "a 1 KB envelope, more or less".getBytes(StandardCharsets.UTF_8);

  private static List<Ecdsa> providers() {
    List<Ecdsa> out = new ArrayList<>();
    out.add(new Ecdsa(CryptoProvider.jdk()));
    CryptoProvider.accp().ifPresent(p -> out.add(new Ecdsa(p)));
    return out;
  }

  private static BigInteger order(KeyPair kp) {
    return ((ECPublicKey) kp.getPublic()).getParams().getOrder();
  }

  @Test
  void signingAlwaysYieldsLowS() {
    KeyPair kp = KeyPairs.p256(new SecureRandom());
    BigInteger half = order(kp).shiftRight(1);
    for (Ecdsa ecdsa : providers()) {
      for (int i = 0; i < 64; i++) {
        BigInteger s = Ecdsa.decode(ecdsa.sign(kp.getPrivate(), MESSAGE))[1];
        assertThat(s).as(ecdsa.provider().name()).isLessThanOrEqualTo(half);
      }
    }
  }

  @Test
  void signaturesFromOneProviderVerifyWithTheOther() {
    KeyPair kp = KeyPairs.p256(new SecureRandom());
    for (Ecdsa signer : providers()) {
      byte[] sig = signer.sign(kp.getPrivate(), MESSAGE);
      for (Ecdsa verifier : providers()) {
        verifier.verify(kp.getPublic(), MESSAGE, sig);
        assertThat(verifier.isValid(kp.getPublic(), MESSAGE, sig)).isTrue();
      }
    }
  }

  @Test
  void highSIsRefusedEvenThoughTheMathematicsWouldAcceptIt() {
    KeyPair kp = KeyPairs.p256(new SecureRandom());
    for (Ecdsa ecdsa : providers()) {
      byte[] low = ecdsa.sign(kp.getPrivate(), MESSAGE);
      BigInteger[] rs = Ecdsa.decode(low);
      byte[] high = Ecdsa.encode(rs[0], order(kp).subtract(rs[1]));
      assertThatThrownBy(() -> ecdsa.verify(kp.getPublic(), MESSAGE, high))
          .isInstanceOfSatisfying(
              InvalidSignatureException.class,
              e -> assertThat(e.reason()).isEqualTo(InvalidSignatureException.Reason.HIGH_S));
      assertThat(Ecdsa.toLowS(high, order(kp))).isEqualTo(low);
    }
  }

  @Test
  void aSignatureOverOtherBytesIsAMismatch() {
    KeyPair kp = KeyPairs.p256(new SecureRandom());
    for (Ecdsa ecdsa : providers()) {
      byte[] sig = ecdsa.sign(kp.getPrivate(), MESSAGE);
      byte[] other = MESSAGE.clone();
      other[0] ^= 1;
      assertThatThrownBy(() -> ecdsa.verify(kp.getPublic(), other, sig))
          .isInstanceOfSatisfying(
              InvalidSignatureException.class,
              e -> assertThat(e.reason()).isEqualTo(InvalidSignatureException.Reason.MISMATCH));
    }
  }

  @Test
  void nonDerOrZeroComponentsAreMalformed() {
    KeyPair kp = KeyPairs.p256(new SecureRandom());
    Ecdsa ecdsa = new Ecdsa(CryptoProvider.jdk());
    byte[] sig = ecdsa.sign(kp.getPrivate(), MESSAGE);
    byte[] trailing = java.util.Arrays.copyOf(sig, sig.length + 1);
    byte[] zeroR = Ecdsa.encode(BigInteger.ZERO, BigInteger.ONE);
    for (byte[] bad : List.of(trailing, zeroR, new byte[] {1, 2, 3}, new byte[0])) {
      assertThatThrownBy(() -> ecdsa.verify(kp.getPublic(), MESSAGE, bad))
          .isInstanceOfSatisfying(
              InvalidSignatureException.class,
              e -> assertThat(e.reason()).isEqualTo(InvalidSignatureException.Reason.MALFORMED));
    }
  }

  @Test
  void preferredProviderIsAccpWhenItLoadsAndTheJdkOtherwise() {
    CryptoProvider preferred = CryptoProvider.preferred();
    assertThat(preferred.name())
        .isEqualTo(CryptoProvider.accp().map(CryptoProvider::name).orElse("JDK"));
    assertThat(CryptoProvider.preferred()).isSameAs(preferred);
  }

  @Test
  void accpLoadsOnLinuxX86_64() {
    String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
    String arch = System.getProperty("os.arch");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64")));
    assertThat(CryptoProvider.accp()).isPresent();
  }
}

package io.ordo.fabric.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Ed25519 against RFC 8032's test vectors, with the JDK's provider and with ACCP when it loads. */
class Ed25519Test {
  private static final HexFormat HEX = HexFormat.of();

  /** RFC 8032 section 7.1, TEST 1 and TEST 2: secret key, public key, message, signature. */
  private static final String[][] RFC8032 = {
    {
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
      "",
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    },
    {
      "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
      "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
      "72",
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
    }
  };

  static List<CryptoProvider> providers() {
    List<CryptoProvider> out = new ArrayList<>(List.of(CryptoProvider.jdk()));
    CryptoProvider.accp().ifPresent(out::add);
    return out;
  }

  @ParameterizedTest
  @MethodSource("providers")
  void signsAndVerifiesRfc8032sVectors(CryptoProvider provider) throws Exception {
    Ed25519 ed = new Ed25519(provider);
    for (String[] v : RFC8032) {
      PrivateKey priv = privateKey(HEX.parseHex(v[0]));
      PublicKey pub = publicKey(HEX.parseHex(v[1]));
      byte[] message = HEX.parseHex(v[2]);
      byte[] expected = HEX.parseHex(v[3]);
      assertThat(Ed25519.isKey(pub)).isTrue();
      assertThat(Ed25519.isKey(priv)).isTrue();
      assertThat(ed.sign(priv, message)).as(provider.name()).isEqualTo(expected);
      ed.verify(pub, ByteString.copyFrom(message), expected);
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void refusesWithTheReasonThatApplies(CryptoProvider provider) throws Exception {
    Ed25519 ed = new Ed25519(provider);
    String[] v = RFC8032[1];
    PublicKey pub = publicKey(HEX.parseHex(v[1]));
    byte[] sig = HEX.parseHex(v[3]);
    assertThatThrownBy(() -> ed.verify(pub, ByteString.copyFrom(new byte[] {0x73}), sig))
        .isInstanceOfSatisfying(
            InvalidSignatureException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidSignatureException.Reason.MISMATCH));
    assertThatThrownBy(() -> ed.verify(pub, ByteString.copyFrom(HEX.parseHex(v[2])), new byte[65]))
        .isInstanceOfSatisfying(
            InvalidSignatureException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidSignatureException.Reason.MALFORMED));
    PublicKey ec = KeyPairs.p256(new SecureRandom()).getPublic();
    assertThat(Ed25519.isKey(ec)).isFalse();
    assertThatThrownBy(() -> ed.verify(ec, ByteString.copyFrom(HEX.parseHex(v[2])), sig))
        .isInstanceOfSatisfying(
            InvalidSignatureException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidSignatureException.Reason.BAD_KEY));
  }

  @ParameterizedTest
  @MethodSource("providers")
  void signaturesPicksTheAlgorithmByTheKey(CryptoProvider provider) {
    Ecdsa ecdsa = new Ecdsa(provider);
    SecureRandom random = new SecureRandom();
    byte[] message = {1, 2, 3};
    for (KeyAlgorithm a : KeyAlgorithm.values()) {
      var keys = KeyPairs.generate(a, random);
      byte[] sig = Signatures.sign(ecdsa, keys.getPrivate(), message);
      assertThat(Signatures.isValid(ecdsa, keys.getPublic(), message, sig)).as(a.name()).isTrue();
      assertThat(Signatures.isValid(ecdsa, keys.getPublic(), new byte[] {1, 2}, sig))
          .as(a.name())
          .isFalse();
    }
  }

  private static PublicKey publicKey(byte[] raw) throws Exception {
    byte[] prefix = HEX.parseHex("302a300506032b6570032100");
    return KeyFactory.getInstance("Ed25519")
        .generatePublic(new X509EncodedKeySpec(concat(prefix, raw)));
  }

  private static PrivateKey privateKey(byte[] seed) throws Exception {
    byte[] prefix = HEX.parseHex("302e020100300506032b657004220420");
    return KeyFactory.getInstance("Ed25519")
        .generatePrivate(new PKCS8EncodedKeySpec(concat(prefix, seed)));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

package io.ordo.fabric.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;

/**
 * {@link Ecdsa#decode} reads signatures by hand; BouncyCastle's ASN.1 parser with a re-encoding
 * check is the oracle: on well-formed signatures and on every mutation of one, both accept the same
 * (r, s) or both refuse.
 */
class SignatureDerTest {

  /** The strict reading with a general ASN.1 parser: parse, and the bytes must be its DER. */
  private static Optional<BigInteger[]> oracle(byte[] der) {
    try {
      ASN1Primitive p = ASN1Primitive.fromByteArray(der);
      if (!(p instanceof ASN1Sequence seq)
          || seq.size() != 2
          || !(seq.getObjectAt(0) instanceof ASN1Integer r)
          || !(seq.getObjectAt(1) instanceof ASN1Integer s)
          || !Arrays.equals(p.getEncoded(ASN1Encoding.DER), der)
          || r.getValue().signum() <= 0
          || s.getValue().signum() <= 0) {
        return Optional.empty();
      }
      return Optional.of(new BigInteger[] {r.getValue(), s.getValue()});
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  @Provide
  Arbitrary<byte[]> signatures() {
    Arbitrary<BigInteger> value =
        Arbitraries.bigIntegers().between(BigInteger.ONE, BigInteger.TWO.pow(528));
    return Combinators.combine(value, value).as(Ecdsa::encode);
  }

  @Property(tries = 300)
  void wellFormedSignaturesDecodeToTheirIntegers(@ForAll("signatures") byte[] der) {
    assertThat(Ecdsa.decode(der)).containsExactly(oracle(der).orElseThrow());
  }

  @Property(tries = 3000)
  void anyMutationIsReadAsTheOracleReadsIt(
      @ForAll("signatures") byte[] der,
      @ForAll("mutations") Mutation mutation,
      @ForAll int position,
      @ForAll byte value) {
    byte[] mutated = mutation.apply(der, Math.floorMod(position, der.length + 1), value);
    Optional<BigInteger[]> expected = oracle(mutated);
    if (expected.isPresent()) {
      assertThat(Ecdsa.decode(mutated)).containsExactly(expected.get());
    } else {
      assertThatThrownBy(() -> Ecdsa.decode(mutated))
          .isInstanceOf(InvalidSignatureException.class)
          .extracting(e -> ((InvalidSignatureException) e).reason())
          .isEqualTo(InvalidSignatureException.Reason.MALFORMED);
    }
  }

  @Provide
  Arbitrary<Mutation> mutations() {
    return Arbitraries.of(Mutation.class);
  }

  /** A one-byte change of an encoding, at a position. */
  enum Mutation {
    REPLACE {
      @Override
      byte[] apply(byte[] der, int at, byte value) {
        byte[] out = der.clone();
        out[Math.min(at, der.length - 1)] = value;
        return out;
      }
    },
    INSERT {
      @Override
      byte[] apply(byte[] der, int at, byte value) {
        byte[] out = new byte[der.length + 1];
        System.arraycopy(der, 0, out, 0, at);
        out[at] = value;
        System.arraycopy(der, at, out, at + 1, der.length - at);
        return out;
      }
    },
    DELETE {
      @Override
      byte[] apply(byte[] der, int at, byte value) {
        int i = Math.min(at, der.length - 1);
        byte[] out = new byte[der.length - 1];
        System.arraycopy(der, 0, out, 0, i);
        System.arraycopy(der, i + 1, out, i, der.length - i - 1);
        return out;
      }
    },
    TRUNCATE {
      @Override
      byte[] apply(byte[] der, int at, byte value) {
        return Arrays.copyOf(der, at);
      }
    };

    abstract byte[] apply(byte[] der, int at, byte value);
  }
}

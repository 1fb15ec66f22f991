package io.ordo.fabric.crypto;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;

/**
 * ECDSA over SHA-256 with Fabric's low-S rule: signatures are DER {@code SEQUENCE {r, s}}, signing
 * replaces s by n - s when s > n/2, and verification refuses any s > n/2 before checking the
 * signature.
 */
public final class Ecdsa {
  private static final String ALGORITHM = "SHA256withECDSA";

  private final CryptoProvider provider;

  /** Signature engines are not thread-safe but are reusable after each sign or verify. */
  private final ThreadLocal<Signature> engines;

  public Ecdsa(CryptoProvider provider) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.engines =
        ThreadLocal.withInitial(
            () -> {
              try {
                return newSignature();
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException(
                    "no " + ALGORITHM + " in provider " + provider.name(), e);
              }
            });
  }

  /** ECDSA with the process-wide preferred provider. */
  public static Ecdsa preferred() {
    return new Ecdsa(CryptoProvider.preferred());
  }

  public CryptoProvider provider() {
    return provider;
  }

  /** Signs SHA-256(message) and returns a low-S DER signature. */
  public byte[] sign(PrivateKey key, byte[] message) {
    try {
      Signature s = newSignature();
      s.initSign(key);
      s.update(message);
      return toLowS(s.sign(), order(key));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ECDSA signing failed with " + provider.name(), e);
    }
  }

  /**
   * Verifies a DER signature over SHA-256(message).
   *
   * @throws InvalidSignatureException naming the rule the signature broke
   */
  public void verify(PublicKey key, byte[] message, byte[] signature) {
    verify(key, UnsafeByteOperations.unsafeWrap(message), signature);
  }

  /** Verifies a {@link SignedData}'s signature over its data with {@code key}. */
  public void verify(PublicKey key, ByteString message, ByteString signature) {
    verify(key, message, signature.toByteArray());
  }

  /**
   * Verifies a DER signature over SHA-256(message), reading {@code message} where it lies.
   *
   * @throws InvalidSignatureException naming the rule the signature broke
   */
  public void verify(PublicKey key, ByteString message, byte[] signature) {
    BigInteger order = order(key);
    BigInteger[] rs = decode(signature);
    if (rs[1].compareTo(order.shiftRight(1)) > 0) {
      throw new InvalidSignatureException(
          InvalidSignatureException.Reason.HIGH_S,
          "invalid S: must be smaller than half the order (s = " + rs[1].toString(16) + ")");
    }
    EngineVerify.verify(engines.get(), provider, key, message, signature);
  }

  /** True when {@code verify} would accept; for callers that only count. */
  public boolean isValid(PublicKey key, byte[] message, byte[] signature) {
    try {
      verify(key, message, signature);
      return true;
    } catch (InvalidSignatureException e) {
      return false;
    }
  }

  /** Rewrites a DER signature so that s is in the lower half of the order. */
  public static byte[] toLowS(byte[] derSignature, BigInteger order) {
    BigInteger[] rs = decode(derSignature);
    if (rs[1].compareTo(order.shiftRight(1)) <= 0) {
      return derSignature;
    }
    return encode(rs[0], order.subtract(rs[1]));
  }

  /**
   * Decodes a strict DER {@code SEQUENCE {INTEGER r, INTEGER s}} with r, s > 0. Read by hand: it
   * runs for every signature checked, and a general ASN.1 parse cost more than the rest of the
   * check around the native verify.
   */
  public static BigInteger[] decode(byte[] der) {
    if (der == null || der.length < 2 || der[0] != 0x30) {
      throw malformed("not a SEQUENCE of two INTEGERs");
    }
    int pos = 1;
    int length = der[pos++] & 0xff;
    if (length == 0x81) {
      if (der.length < 3 || (der[pos] & 0xff) < 0x80) {
        throw malformed("not DER (trailing or non-minimal bytes)");
      }
      length = der[pos++] & 0xff;
    } else if (length > 0x7f) {
      throw malformed("not DER (trailing or non-minimal bytes)");
    }
    if (pos + length != der.length) {
      throw malformed("not DER (trailing or non-minimal bytes)");
    }
    int[] cursor = {pos};
    BigInteger r = positiveInteger(der, cursor);
    BigInteger s = positiveInteger(der, cursor);
    if (cursor[0] != der.length) {
      throw malformed("not a SEQUENCE of two INTEGERs");
    }
    return new BigInteger[] {r, s};
  }

  /** One INTEGER at {@code cursor[0]}, minimally encoded and larger than zero; moves the cursor. */
  private static BigInteger positiveInteger(byte[] der, int[] cursor) {
    int pos = cursor[0];
    if (pos + 2 > der.length || der[pos] != 0x02) {
      throw malformed("not a SEQUENCE of two INTEGERs");
    }
    int length = der[pos + 1] & 0xff;
    pos += 2;
    if (length == 0 || length > 0x7f || pos + length > der.length) {
      throw malformed("not a SEQUENCE of two INTEGERs");
    }
    if (length > 1
        && ((der[pos] == 0 && der[pos + 1] >= 0)
            || (der[pos] == (byte) 0xff && der[pos + 1] < 0))) {
      throw malformed("not DER (trailing or non-minimal bytes)");
    }
    BigInteger value = new BigInteger(der, pos, length);
    if (value.signum() <= 0) {
      throw malformed("r and s must be larger than zero");
    }
    cursor[0] = pos + length;
    return value;
  }

  public static byte[] encode(BigInteger r, BigInteger s) {
    try {
      return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)})
          .getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException("DER encoding of two integers failed", e);
    }
  }

  private static InvalidSignatureException malformed(String why) {
    return new InvalidSignatureException(
        InvalidSignatureException.Reason.MALFORMED, "malformed ECDSA signature: " + why);
  }

  private static BigInteger order(java.security.Key key) {
    if (key instanceof ECKey ec) {
      return ec.getParams().getOrder();
    }
    throw new InvalidSignatureException(
        InvalidSignatureException.Reason.BAD_KEY,
        "not an EC key: " + (key == null ? "null" : key.getAlgorithm()));
  }

  private Signature newSignature() throws GeneralSecurityException {
    return provider.provider() == null
        ? Signature.getInstance(ALGORITHM)
        : Signature.getInstance(ALGORITHM, provider.provider());
  }
}

package io.ordo.fabric.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
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
    BigInteger order = order(key);
    BigInteger[] rs = decode(signature);
    if (rs[1].compareTo(order.shiftRight(1)) > 0) {
      throw new InvalidSignatureException(
          InvalidSignatureException.Reason.HIGH_S,
          "invalid S: must be smaller than half the order (s = " + rs[1].toString(16) + ")");
    }
    boolean ok;
    try {
      Signature s = engines.get();
      s.initVerify(key);
      s.update(message);
      ok = s.verify(signature);
    } catch (InvalidKeyException e) {
      throw new InvalidSignatureException(
          InvalidSignatureException.Reason.BAD_KEY, "key refused by " + provider.name(), e);
    } catch (GeneralSecurityException e) {
      throw new InvalidSignatureException(
          InvalidSignatureException.Reason.MALFORMED, "signature refused: " + e.getMessage(), e);
    }
    if (!ok) {
      throw new InvalidSignatureException(
          InvalidSignatureException.Reason.MISMATCH, "the signature is not valid for this key");
    }
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

  /** Decodes a strict DER {@code SEQUENCE {INTEGER r, INTEGER s}} with r, s > 0. */
  public static BigInteger[] decode(byte[] der) {
    try {
      ASN1Primitive p = ASN1Primitive.fromByteArray(der);
      if (!(p instanceof ASN1Sequence seq)
          || seq.size() != 2
          || !(seq.getObjectAt(0) instanceof ASN1Integer r)
          || !(seq.getObjectAt(1) instanceof ASN1Integer s)) {
        throw malformed("not a SEQUENCE of two INTEGERs");
      }
      if (!Arrays.equals(p.getEncoded(ASN1Encoding.DER), der)) {
        throw malformed("not DER (trailing or non-minimal bytes)");
      }
      BigInteger rv = r.getValue();
      BigInteger sv = s.getValue();
      if (rv.signum() <= 0 || sv.signum() <= 0) {
        throw malformed("r and s must be larger than zero");
      }
      return new BigInteger[] {rv, sv};
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidSignatureException(
          InvalidSignatureException.Reason.MALFORMED, "malformed ECDSA signature: " + e, e);
    }
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

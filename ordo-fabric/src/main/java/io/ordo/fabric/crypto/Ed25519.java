package io.ordo.fabric.crypto;

import com.google.protobuf.ByteString;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECKey;
import java.util.Objects;

/**
 * Ed25519 (RFC 8032) as Fabric v3's MSP uses it: the signature is over the message itself, not over
 * its SHA-256 as with ECDSA, and is 64 bytes with no encoding around it.
 */
public final class Ed25519 {
  private static final String ALGORITHM = "Ed25519";
  private static final int SIGNATURE_LENGTH = 64;

  private final CryptoProvider provider;

  /** Signature engines are not thread-safe but are reusable after each sign or verify. */
  private final ThreadLocal<Signature> engines;

  public Ed25519(CryptoProvider provider) {
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

  public CryptoProvider provider() {
    return provider;
  }

  /** Whether {@code key} is an Ed25519 key (public or private), from any provider. */
  public static boolean isKey(Key key) {
    if (key instanceof EdECKey ed) {
      return ALGORITHM.equalsIgnoreCase(ed.getParams().getName());
    }
    return key != null
        && (ALGORITHM.equalsIgnoreCase(key.getAlgorithm())
            || ("EdDSA".equalsIgnoreCase(key.getAlgorithm()) && isEd25519Encoding(key)));
  }

  /** Signs {@code message} itself (no pre-hash). */
  public byte[] sign(PrivateKey key, byte[] message) {
    try {
      Signature s = newSignature();
      s.initSign(key);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed with " + provider.name(), e);
    }
  }

  /**
   * Verifies a 64-byte signature over {@code message}, read where it lies.
   *
   * @throws InvalidSignatureException naming the rule the signature broke
   */
  public void verify(PublicKey key, ByteString message, byte[] signature) {
    if (!isKey(key)) {
      throw new InvalidSignatureException(
          InvalidSignatureException.Reason.BAD_KEY,
          "not an Ed25519 key: " + (key == null ? "null" : key.getAlgorithm()));
    }
    if (signature == null || signature.length != SIGNATURE_LENGTH) {
      throw new InvalidSignatureException(
          InvalidSignatureException.Reason.MALFORMED,
          "malformed Ed25519 signature: "
              + (signature == null ? 0 : signature.length)
              + " bytes, not 64");
    }
    EngineVerify.verify(engines.get(), provider, key, message, signature);
  }

  /** True when {@link #verify} would accept. */
  public boolean isValid(PublicKey key, byte[] message, byte[] signature) {
    try {
      verify(key, ByteString.copyFrom(message), signature);
      return true;
    } catch (InvalidSignatureException e) {
      return false;
    }
  }

  /** The OID 1.3.101.112 (id-Ed25519) in an X.509 or PKCS#8 encoding of another provider's key. */
  private static boolean isEd25519Encoding(Key key) {
    byte[] der = key.getEncoded();
    byte[] oid = {0x06, 0x03, 0x2b, 0x65, 0x70};
    if (der == null) {
      return false;
    }
    outer:
    for (int i = 0; i + oid.length <= Math.min(der.length, 16); i++) {
      for (int j = 0; j < oid.length; j++) {
        if (der[i + j] != oid[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private Signature newSignature() throws GeneralSecurityException {
    return provider.provider() == null
        ? Signature.getInstance(ALGORITHM)
        : Signature.getInstance(ALGORITHM, provider.provider());
  }
}

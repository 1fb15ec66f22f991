package io.ordo.fabric.crypto;

import com.google.protobuf.ByteString;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signing and verification chosen by the key's type, as Fabric v3's MSP chooses: ECDSA P-256 over
 * SHA-256 of the message (low-S) for EC keys, Ed25519 over the message itself for Ed25519 keys. Any
 * other key is refused with {@link InvalidSignatureException.Reason#BAD_KEY}.
 */
public final class Signatures {
  /** One Ed25519 per provider: its engines are per thread and worth keeping. */
  private static final Map<CryptoProvider, Ed25519> ED25519 = new ConcurrentHashMap<>();

  private Signatures() {}

  /** Verifies {@code signature} over {@code message} with the algorithm of {@code key}. */
  public static void verify(Ecdsa ecdsa, PublicKey key, ByteString message, ByteString signature) {
    if (Ed25519.isKey(key)) {
      ed25519(ecdsa).verify(key, message, signature.toByteArray());
    } else {
      ecdsa.verify(key, message, signature);
    }
  }

  /** Whether {@link #verify} would accept. */
  public static boolean isValid(Ecdsa ecdsa, PublicKey key, byte[] message, byte[] signature) {
    try {
      verify(ecdsa, key, ByteString.copyFrom(message), ByteString.copyFrom(signature));
      return true;
    } catch (InvalidSignatureException e) {
      return false;
    }
  }

  /** Signs {@code message} with the algorithm of {@code key}. */
  public static byte[] sign(Ecdsa ecdsa, PrivateKey key, byte[] message) {
    return Ed25519.isKey(key) ? ed25519(ecdsa).sign(key, message) : ecdsa.sign(key, message);
  }

  /** The Ed25519 of {@code ecdsa}'s provider. */
  public static Ed25519 ed25519(Ecdsa ecdsa) {
    return ED25519.computeIfAbsent(ecdsa.provider(), Ed25519::new);
  }
}

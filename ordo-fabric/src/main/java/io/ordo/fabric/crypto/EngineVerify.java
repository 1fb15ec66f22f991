package io.ordo.fabric.crypto;

import com.google.protobuf.ByteString;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.security.Signature;

/**
 * A JCA engine's verification of a signature already checked for its algorithm's own rules, with
 * the engine's failures turned into {@link InvalidSignatureException}s: one place for ECDSA's and
 * Ed25519's.
 */
final class EngineVerify {
  private EngineVerify() {}

  /**
   * @param engine the calling thread's engine, reusable after each verify
   * @param provider named in the refusal of a key
   */
  static void verify(
      Signature engine,
      CryptoProvider provider,
      PublicKey key,
      ByteString message,
      byte[] signature) {
    boolean ok;
    try {
      engine.initVerify(key);
      ByteChunks.update(engine, message);
      ok = engine.verify(signature);
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
}

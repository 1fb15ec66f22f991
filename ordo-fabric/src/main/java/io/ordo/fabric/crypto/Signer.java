package io.ordo.fabric.crypto;

/** A signing identity: who signs (its serialised identity) and how (ECDSA low-S, or Ed25519). */
public interface Signer {
  /** The marshaled {@code msp.SerializedIdentity} that goes in SignatureHeader.creator. */
  byte[] serializedIdentity();

  /**
   * A low-S DER ECDSA signature over SHA-256(message), or for an Ed25519 identity the 64-byte
   * Ed25519 signature over the message.
   */
  byte[] sign(byte[] message);
}

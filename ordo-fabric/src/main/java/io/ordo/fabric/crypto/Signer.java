package io.ordo.fabric.crypto;

/** A signing identity: who signs (its serialised identity) and how (ECDSA, low-S). */
public interface Signer {
  /** The marshaled {@code msp.SerializedIdentity} that goes in SignatureHeader.creator. */
  byte[] serializedIdentity();

  /** A low-S DER ECDSA signature over SHA-256(message). */
  byte[] sign(byte[] message);
}

package io.ordo.fabric.crypto;

import java.util.Objects;

/**
 * One signature to check against a policy: the signed bytes, the signer's serialised identity
 * (marshaled {@code msp.SerializedIdentity}) and the DER signature over SHA-256(data).
 */
public record SignedData(byte[] data, byte[] identity, byte[] signature) {
  public SignedData {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(signature, "signature");
  }
}

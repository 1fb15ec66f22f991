package io.ordo.fabric.crypto;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * One signature to check against a policy: the signed bytes, the signer's serialised identity
 * (marshaled {@code msp.SerializedIdentity}) and the DER signature over SHA-256(data). The signed
 * bytes are usually a view into a received message (an envelope's payload), checked without a copy.
 */
public record SignedData(ByteString data, ByteString identity, ByteString signature) {
  public SignedData {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(signature, "signature");
  }

  /** From arrays, copied so that later changes to them cannot change what is checked. */
  public SignedData(byte[] data, byte[] identity, byte[] signature) {
    this(ByteString.copyFrom(data), ByteString.copyFrom(identity), ByteString.copyFrom(signature));
  }
}

package io.ordo.fabric.msp;

import static io.ordo.fabric.msp.IdentityException.Reason;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.ordo.fabric.crypto.BoundedCache;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/** The MSPs of one channel, by MSP ID, with a bounded cache of deserialised identities. */
public final class MspManager {
  private static final int DESERIALIZER_CACHE_SIZE = 100;

  private final Map<String, FabricMsp> msps;
  private final BoundedCache<SerializedIdentityKey, Identity> identities =
      new BoundedCache<>(DESERIALIZER_CACHE_SIZE);

  public MspManager(Iterable<FabricMsp> msps) {
    Map<String, FabricMsp> byId = new LinkedHashMap<>();
    for (FabricMsp msp : msps) {
      if (byId.put(msp.mspId(), msp) != null) {
        throw new IllegalArgumentException("duplicate MSP ID " + msp.mspId());
      }
    }
    this.msps = Map.copyOf(byId);
  }

  public Optional<FabricMsp> msp(String mspId) {
    return Optional.ofNullable(msps.get(mspId));
  }

  public Map<String, FabricMsp> msps() {
    return msps;
  }

  /**
   * Decodes a marshaled SerializedIdentity with the MSP it names.
   *
   * @throws IdentityException MALFORMED or UNKNOWN_MSP
   */
  public Identity deserialize(byte[] serializedIdentity) {
    return deserialize(UnsafeByteOperations.unsafeWrap(serializedIdentity));
  }

  /**
   * Decodes a marshaled SerializedIdentity with the MSP it names; {@code serializedIdentity} is
   * neither copied nor kept unless it is new to the cache.
   *
   * @throws IdentityException MALFORMED or UNKNOWN_MSP
   */
  public Identity deserialize(ByteString serializedIdentity) {
    SerializedIdentityKey probe = SerializedIdentityKey.probe(serializedIdentity);
    Identity cached = identities.getIfPresent(probe);
    if (cached != null) {
      return cached;
    }
    return identities.get(probe.owned(), k -> decode(serializedIdentity));
  }

  private Identity decode(ByteString bytes) {
    SerializedIdentity sid;
    try {
      sid = SerializedIdentity.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IdentityException(
          Reason.MALFORMED, "could not deserialize a SerializedIdentity", e);
    }
    FabricMsp msp = msps.get(sid.getMspid());
    if (msp == null) {
      throw new IdentityException(
          Reason.UNKNOWN_MSP, "MSP " + sid.getMspid() + " is not defined on channel");
    }
    return msp.deserialize(sid);
  }
}

package io.ordo.fabric.block;

import com.google.protobuf.ByteString;
import io.ordo.fabric.crypto.ByteChunks;
import io.ordo.fabric.crypto.Hashes;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;

/**
 * The hashes that chain Fabric blocks: the data hash (SHA-256 of the envelopes' bytes laid end to
 * end) and the header hash (SHA-256 of the DER {@code SEQUENCE {INTEGER number, OCTET STRING
 * previous_hash, OCTET STRING data_hash}}).
 */
public final class BlockHashing {
  private BlockHashing() {}

  public static byte[] dataHash(BlockData data) {
    MessageDigest md = Hashes.sha256Digest();
    for (ByteString item : data.getDataList()) {
      // No length prefixes or separators: Fabric hashes the plain concatenation.
      ByteChunks.update(md, item);
    }
    return md.digest();
  }

  /** The exact DER bytes Fabric hashes for a header, and signs as part of block signatures. */
  public static byte[] headerBytes(BlockHeader header) {
    return headerBytes(
        header.getNumber(),
        header.getPreviousHash().toByteArray(),
        header.getDataHash().toByteArray());
  }

  public static byte[] headerBytes(long number, byte[] previousHash, byte[] dataHash) {
    // number is a Go uint64; as a DER INTEGER it must stay non-negative.
    byte[] n = new BigInteger(Long.toUnsignedString(number)).toByteArray();
    ByteArrayOutputStream body = new ByteArrayOutputStream(80);
    writeTlv(body, 0x02, n);
    writeTlv(body, 0x04, previousHash);
    writeTlv(body, 0x04, dataHash);
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() + 4);
    writeTlv(out, 0x30, body.toByteArray());
    return out.toByteArray();
  }

  public static byte[] headerHash(BlockHeader header) {
    return Hashes.sha256(headerBytes(header));
  }

  private static void writeTlv(ByteArrayOutputStream out, int tag, byte[] value) {
    out.write(tag);
    writeLength(out, value.length);
    out.writeBytes(value);
  }

  private static void writeLength(ByteArrayOutputStream out, int length) {
    if (length < 0x80) {
      out.write(length);
      return;
    }
    int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
    out.write(0x80 | bytes);
    for (int i = bytes - 1; i >= 0; i--) {
      out.write(length >>> (8 * i));
    }
  }
}

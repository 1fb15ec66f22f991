package io.ordo.orderer.consensus.etcdraft;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which consenter campaigns first on a new channel (Fabric's node.start): the raft ID {@code
 * varint(sha256(channel)[24..32]) mod n + 1}, so that all nodes agree without talking.
 */
public final class CampaignRule {
  private CampaignRule() {}

  /** The raft ID (1..clusterSize) that campaigns first on {@code channel}. */
  public static long campaigner(String channel, int clusterSize) {
    if (clusterSize <= 0) {
      throw new IllegalArgumentException("cluster size must be positive: " + clusterSize);
    }
    return Long.remainderUnsigned(varint(channel), clusterSize) + 1;
  }

  /**
   * The protobuf varint at bytes 24..31 of the channel's SHA-256; 0 when no byte in those 8 ends it
   * (proto.DecodeVarint then reports no value, which Fabric ignores).
   */
  static long varint(String channel) {
    byte[] h = sha256(channel.getBytes(StandardCharsets.UTF_8));
    long value = 0;
    for (int i = 0; i < 8; i++) {
      int b = h[24 + i] & 0xff;
      value |= (long) (b & 0x7f) << (7 * i);
      if (b < 0x80) {
        return value;
      }
    }
    return 0;
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}

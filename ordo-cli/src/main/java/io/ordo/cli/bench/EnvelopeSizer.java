package io.ordo.cli.bench;

import io.ordo.cli.orderer.SignedEnvelopes;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.hyperledger.fabric.protos.common.Envelope;

/**
 * Finds how many random bytes make a signed bench envelope exactly a given size once marshalled.
 * Everything but the random bytes has a fixed size for one client and channel, except the ECDSA
 * signature, whose DER encoding takes 70 or 71 bytes (rarely fewer) at random: an envelope that
 * misses the size is signed again with the padding corrected, which takes two signatures per
 * transaction on average.
 */
final class EnvelopeSizer {
  /** A P-256 low-S DER signature: r may need 33 bytes, s never more than 32, and 6 of framing. */
  static final int MAX_SIGNATURE_BYTES = 71;

  private static final int MAX_SIGNATURES = 64;

  private final SignedEnvelopes signer;
  private final String channel;
  private final Instant now;
  private final int overhead;

  /** An envelope and the random bytes in it. */
  record Sized(Envelope envelope, int randomBytes) {}

  EnvelopeSizer(SignedEnvelopes signer, String channel, Instant now) {
    this.signer = signer;
    this.channel = channel;
    this.now = now;
    byte[] nonce = signer.nonce();
    Envelope empty =
        PreparedTransactions.envelope(signer, channel, signer.txId(nonce), nonce, new byte[0], now);
    this.overhead = empty.getSerializedSize() - empty.getSignature().size() + MAX_SIGNATURE_BYTES;
  }

  /**
   * The smallest size every envelope of this client can be made to: no random byte and the longest
   * usual signature.
   */
  int smallest() {
    return overhead;
  }

  /**
   * A signed envelope of {@code bytes} bytes exactly, its random bytes a prefix of those {@code
   * random} draws.
   *
   * @throws EnvelopeSizeException when protobuf's length prefixes make that size unreachable
   */
  Sized envelopeOf(String txId, byte[] nonce, int bytes, SplittableRandom random) {
    byte[] pool = new byte[Math.max(0, bytes - overhead + MAX_SIGNATURE_BYTES)];
    random.nextBytes(pool);
    int length = Math.max(0, bytes - overhead);
    for (int tries = 0; tries < MAX_SIGNATURES; tries++) {
      Envelope e =
          PreparedTransactions.envelope(
              signer,
              channel,
              txId,
              nonce,
              Arrays.copyOf(pool, Math.min(length, pool.length)),
              now);
      int missing = bytes - e.getSerializedSize();
      if (missing == 0) {
        return new Sized(e, Math.min(length, pool.length));
      }
      length = Math.max(0, length + missing);
    }
    throw new EnvelopeSizeException(
        "no envelope of exactly "
            + bytes
            + " bytes after "
            + MAX_SIGNATURES
            + " signatures (a protobuf length prefix grows at that size); try --size "
            + (bytes + 2));
  }
}

package io.ordo.cli.bench;

import io.ordo.cli.client.SignedEnvelopes;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.hyperledger.fabric.protos.common.Envelope;

/**
 * Finds how many random bytes make a signed bench envelope exactly a given size once marshalled.
 * Everything but the random bytes has a fixed size for one client and channel, except the ECDSA
 * signature, whose DER encoding takes 70 or 71 bytes (rarely fewer): an envelope that misses the
 * size is signed again with the padding corrected, which takes two signatures per transaction on
 * average. Each attempt takes a fresh nonce (so a fresh transaction ID): the signer may sign
 * deterministically, and at some sizes only the other signature length fits, because a nested
 * length prefix grows by a byte when the random bytes grow by one.
 */
final class EnvelopeSizer {
  /** A P-256 low-S DER signature: r may need 33 bytes, s never more than 32, and 6 of framing. */
  static final int MAX_SIGNATURE_BYTES = 71;

  private static final int MAX_SIGNATURES = 64;

  private static final int MIN_RANDOM_BYTES = 1;

  private final SignedEnvelopes signer;
  private final String channel;
  private final Instant now;
  private final int overhead;

  /** An envelope, its transaction ID and the random bytes in it. */
  record Sized(Envelope envelope, String txId, int randomBytes) {}

  EnvelopeSizer(SignedEnvelopes signer, String channel, Instant now) {
    this.signer = signer;
    this.channel = channel;
    this.now = now;
    byte[] nonce = signer.nonce();
    // one random byte at least: an empty bytes field is left out of the encoding, and the field
    // with one byte takes three, so the size just above "no random byte" could not be reached
    Envelope least =
        PreparedTransactions.envelope(
            signer, channel, signer.txId(nonce), nonce, new byte[MIN_RANDOM_BYTES], now);
    this.overhead =
        least.getSerializedSize()
            - least.getSignature().size()
            - MIN_RANDOM_BYTES
            + MAX_SIGNATURE_BYTES;
  }

  /**
   * The smallest size every envelope of this client can be made to: one random byte and the longest
   * usual signature.
   */
  int smallest() {
    return overhead + MIN_RANDOM_BYTES;
  }

  /**
   * A signed envelope of {@code bytes} bytes exactly, its random bytes a prefix of those {@code
   * random} draws.
   *
   * @throws EnvelopeSizeException when protobuf's length prefixes make that size unreachable
   */
  Sized envelopeOf(int bytes, SplittableRandom random) {
    byte[] pool = new byte[Math.max(MIN_RANDOM_BYTES, bytes - overhead + MAX_SIGNATURE_BYTES)];
    random.nextBytes(pool);
    int length = Math.max(MIN_RANDOM_BYTES, bytes - overhead);
    for (int tries = 0; tries < MAX_SIGNATURES; tries++) {
      byte[] nonce = signer.nonce();
      String txId = signer.txId(nonce);
      int used = Math.min(length, pool.length);
      Envelope e =
          PreparedTransactions.envelope(
              signer, channel, txId, nonce, Arrays.copyOf(pool, used), now);
      int missing = bytes - e.getSerializedSize();
      if (missing == 0) {
        return new Sized(e, txId, used);
      }
      length = Math.max(MIN_RANDOM_BYTES, length + missing);
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

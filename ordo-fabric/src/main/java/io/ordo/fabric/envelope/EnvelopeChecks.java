package io.ordo.fabric.envelope;

import static io.ordo.fabric.envelope.MalformedEnvelopeException.Reason;

import io.ordo.fabric.crypto.Hashes;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/** The header checks an orderer makes on an envelope beyond decoding it. */
public final class EnvelopeChecks {
  private EnvelopeChecks() {}

  /** Broadcast's size filter: payload + signature must not exceed BatchSize.absolute_max_bytes. */
  public static void checkSize(ParsedEnvelope env, long absoluteMaxBytes) {
    if (env.size() > absoluteMaxBytes) {
      throw new MalformedEnvelopeException(
          Reason.TOO_LARGE,
          "message payload is "
              + env.size()
              + " bytes and exceeds maximum allowed "
              + absoluteMaxBytes
              + " bytes");
    }
  }

  public static void checkChannel(ParsedEnvelope env, String channelId) {
    if (!env.channelId().equals(channelId)) {
      throw new MalformedEnvelopeException(
          Reason.WRONG_CHANNEL,
          "envelope is for channel '" + env.channelId() + "', not '" + channelId + "'");
    }
  }

  /** Deliver's rule: the channel header timestamp must exist and be within the window of now. */
  public static void checkTimestamp(ParsedEnvelope env, Instant now, Duration window) {
    if (!env.channelHeader().hasTimestamp()) {
      throw new MalformedEnvelopeException(Reason.TIMESTAMP_OUT_OF_WINDOW, "timestamp is missing");
    }
    var ts = env.channelHeader().getTimestamp();
    Instant at = Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
    if (Duration.between(at, now).abs().compareTo(window) > 0) {
      throw new MalformedEnvelopeException(
          Reason.TIMESTAMP_OUT_OF_WINDOW,
          "envelope timestamp "
              + at
              + " is more than "
              + window
              + " apart from the current time "
              + now);
    }
  }

  /**
   * Mutual-TLS binding: when the server requires client certificates, tls_cert_hash must be the
   * SHA-256 of the client's TLS certificate DER.
   */
  public static void checkTlsBinding(ParsedEnvelope env, byte[] clientCertificateDer) {
    byte[] expected = Hashes.sha256(clientCertificateDer);
    if (!Arrays.equals(expected, env.channelHeader().getTlsCertHash().toByteArray())) {
      throw new MalformedEnvelopeException(
          Reason.TLS_BINDING_MISMATCH, "mismatched TLS cert hash in the channel header");
    }
  }

  /** The clients' tx id rule: tx_id must be hex(SHA-256(nonce || creator)). */
  public static void checkTxId(ParsedEnvelope env) {
    String expected =
        TxIds.compute(
            env.signatureHeader().getNonce().toByteArray(),
            env.signatureHeader().getCreator().toByteArray());
    if (!expected.equals(env.channelHeader().getTxId())) {
      throw new MalformedEnvelopeException(
          Reason.BAD_TX_ID,
          "tx id '" + env.channelHeader().getTxId() + "' is not the expected '" + expected + "'");
    }
  }
}

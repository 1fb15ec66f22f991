package io.ordo.cli.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.ordo.fabric.crypto.Hashes;
import io.ordo.fabric.crypto.Signer;
import io.ordo.fabric.envelope.Envelopes;
import io.ordo.fabric.envelope.TxIds;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekNewest;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;

/**
 * Client envelopes as Fabric's SDKs and peer CLI build them: a channel header (timestamp in whole
 * seconds, epoch 0), a signature header with the creator and a fresh 24-byte nonce, the payload
 * signed by the client.
 */
public final class SignedEnvelopes {
  private final Signer signer;
  private final ByteString creator;
  private final ByteString tlsCertHash;
  private final SecureRandom random;

  /**
   * @param clientTlsCertificateDer the client TLS certificate, bound into every channel header
   */
  public SignedEnvelopes(
      Signer signer, Optional<byte[]> clientTlsCertificateDer, SecureRandom random) {
    this.signer = signer;
    this.creator = ByteString.copyFrom(signer.serializedIdentity());
    this.tlsCertHash =
        clientTlsCertificateDer
            .map(d -> ByteString.copyFrom(Hashes.sha256(d)))
            .orElse(ByteString.EMPTY);
    this.random = random;
  }

  /** A fresh nonce. */
  public byte[] nonce() {
    byte[] nonce = new byte[Envelopes.NONCE_BYTES];
    random.nextBytes(nonce);
    return nonce;
  }

  /** Fabric's tx id of a transaction by this creator with {@code nonce}. */
  public String txId(byte[] nonce) {
    return TxIds.compute(nonce, creator.toByteArray());
  }

  public SignatureHeader signatureHeader(byte[] nonce) {
    return SignatureHeader.newBuilder()
        .setCreator(creator)
        .setNonce(ByteString.copyFrom(nonce))
        .build();
  }

  /** An envelope of {@code type} around {@code data}, signed. */
  public Envelope envelope(
      HeaderType type,
      String channel,
      String txId,
      SignatureHeader signatureHeader,
      ByteString data,
      Instant now) {
    ChannelHeader channelHeader =
        ChannelHeader.newBuilder()
            .setType(type.getNumber())
            .setChannelId(channel)
            .setTxId(txId)
            .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()))
            .setTlsCertHash(tlsCertHash)
            .build();
    return Envelopes.signed(channelHeader, signatureHeader, data, signer);
  }

  /** A DELIVER_SEEK_INFO envelope for {@code seek} (no tx id, as Fabric's deliver clients). */
  public Envelope seek(String channel, SeekInfo seek, Instant now) {
    return envelope(
        HeaderType.DELIVER_SEEK_INFO,
        channel,
        "",
        signatureHeader(nonce()),
        seek.toByteString(),
        now);
  }

  /** Seek from the newest block on, waiting for blocks as they are written. */
  public static SeekInfo fromNewest() {
    return SeekInfo.newBuilder()
        .setStart(SeekPosition.newBuilder().setNewest(SeekNewest.getDefaultInstance()))
        .setStop(specified(Long.MAX_VALUE))
        .setBehavior(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY)
        .build();
  }

  /**
   * Seek the whole chain as it is at the time of the seek: block 0 to the newest (which the orderer
   * resolves when it receives the seek).
   */
  public static SeekInfo wholeChain() {
    return SeekInfo.newBuilder()
        .setStart(specified(0))
        .setStop(SeekPosition.newBuilder().setNewest(SeekNewest.getDefaultInstance()))
        .setBehavior(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY)
        .build();
  }

  /** Seek blocks {@code from} to the newest, as {@link #wholeChain} from block 0. */
  public static SeekInfo fromBlock(long from) {
    return wholeChain().toBuilder().setStart(specified(from)).build();
  }

  /** Seek the newest block only, as it is when the orderer receives the seek. */
  public static SeekInfo newestOnly() {
    SeekPosition newest =
        SeekPosition.newBuilder().setNewest(SeekNewest.getDefaultInstance()).build();
    return SeekInfo.newBuilder()
        .setStart(newest)
        .setStop(newest)
        .setBehavior(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY)
        .build();
  }

  /** Seek blocks {@code from} to {@code to}, both included, waiting for those not yet written. */
  public static SeekInfo range(long from, long to) {
    return SeekInfo.newBuilder()
        .setStart(specified(from))
        .setStop(specified(to))
        .setBehavior(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY)
        .build();
  }

  private static SeekPosition specified(long number) {
    return SeekPosition.newBuilder()
        .setSpecified(SeekSpecified.newBuilder().setNumber(number))
        .build();
  }
}

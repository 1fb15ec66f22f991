package io.ordo.orderer.it;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.envelope.Envelopes;
import io.ordo.fabric.msp.LocalSigningIdentity;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekNewest;
import org.hyperledger.fabric.protos.orderer.SeekNextCommit;
import org.hyperledger.fabric.protos.orderer.SeekOldest;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;

/**
 * Envelopes signed by one client identity: transactions whose data is a text id (so that the blocks
 * can be read back as ids), and Deliver seeks.
 */
final class SignedRequests {
  private final LocalSigningIdentity signer;
  private final SecureRandom random = new SecureRandom();

  SignedRequests(LocalSigningIdentity signer) {
    this.signer = signer;
  }

  Envelope transaction(String channel, String id) {
    return Envelopes.signed(
        HeaderType.ENDORSER_TRANSACTION,
        channel,
        ByteString.copyFromUtf8(id),
        signer,
        random,
        Instant.now());
  }

  Envelope transaction(String id) {
    return transaction(ClusterFiles.CHANNEL, id);
  }

  Envelope seek(String channel, SeekInfo info) {
    return Envelopes.signed(
        HeaderType.DELIVER_SEEK_INFO, channel, info.toByteString(), signer, random, Instant.now());
  }

  Envelope seek(SeekPosition start, SeekPosition stop, SeekInfo.SeekBehavior behavior) {
    return seek(
        ClusterFiles.CHANNEL,
        SeekInfo.newBuilder().setStart(start).setStop(stop).setBehavior(behavior).build());
  }

  static SeekPosition specified(long number) {
    return SeekPosition.newBuilder()
        .setSpecified(SeekSpecified.newBuilder().setNumber(number))
        .build();
  }

  static SeekPosition oldest() {
    return SeekPosition.newBuilder().setOldest(SeekOldest.getDefaultInstance()).build();
  }

  static SeekPosition newest() {
    return SeekPosition.newBuilder().setNewest(SeekNewest.getDefaultInstance()).build();
  }

  static SeekPosition nextCommit() {
    return SeekPosition.newBuilder().setNextCommit(SeekNextCommit.getDefaultInstance()).build();
  }

  /** The ids carried by the transactions of a block (none for the genesis block). */
  static List<String> ids(Block block) {
    if (block.getHeader().getNumber() == 0) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    try {
      for (ByteString raw : block.getData().getDataList()) {
        Payload p = Payload.parseFrom(Envelope.parseFrom(raw).getPayload());
        out.add(p.getData().toString(StandardCharsets.UTF_8));
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "block " + block.getHeader().getNumber() + " holds no envelope", e);
    }
    return out;
  }
}

package io.ordo.orderer.consensus.etcdraft;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.orderer.consensus.ChainUnavailableException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;

/**
 * The envelopes clients handed to this node that are not in a block yet. Broadcast answers SUCCESS
 * only once an envelope is in a block this node wrote, so that an acknowledged envelope is never
 * lost to a leader's crash, a partition or a full disk; until then this node owns it: it submits it
 * again after a leader change that lost it, and fails it (the client then learns it was not
 * ordered) when it cannot be kept.
 *
 * <p>An envelope is known by its signature, which the client made and every orderer carries
 * unchanged: a normal envelope's own, a config update's (the CONFIG envelope an orderer makes from
 * it may be made again by the leader, but keeps the update as its {@code last_update}).
 * Thread-safe: submitters add, the chain loop writes, expires and resubmits.
 */
final class PendingEnvelopes {
  /**
   * One envelope awaiting its block. {@code epoch} is the leader epoch it was last submitted in.
   */
  private record Entry(
      Submission submission, CompletableFuture<Void> written, long deadline, int epoch) {
    Entry inEpoch(int newEpoch) {
      return new Entry(submission, written, deadline, newEpoch);
    }
  }

  private final Map<ByteString, Entry> bySignature = new ConcurrentHashMap<>();
  private final long timeoutNanos;

  /**
   * @param timeoutNanos how long an envelope may take to reach a block before its client is told it
   *     was not ordered
   */
  PendingEnvelopes(long timeoutNanos) {
    this.timeoutNanos = timeoutNanos;
  }

  /**
   * Starts waiting for {@code submission}'s block. The same envelope sent again while the first is
   * pending waits for the same block.
   */
  CompletableFuture<Void> add(Submission submission, int epoch) {
    ByteString key = keyOf(submission);
    Entry entry =
        bySignature.computeIfAbsent(
            key,
            k ->
                new Entry(
                    submission,
                    new CompletableFuture<>(),
                    System.nanoTime() + timeoutNanos,
                    epoch));
    return entry.written();
  }

  /**
   * Claims the submission, pending in epoch {@code from}, for the leader of epoch {@code to} it is
   * about to be sent to: only a later leader's term can then show it lost. Exactly one of this and
   * {@link #lostBefore} moves an entry out of an epoch, and only the one that moved it sends it, so
   * that an envelope held through an election is not sent both by its first submitter and as lost.
   *
   * @return false when the submission is no longer pending in {@code from}: written, or already
   *     taken by {@link #lostBefore}, whose caller sends it
   */
  boolean claim(Submission submission, int from, int to) {
    if (from == to) {
      return bySignature.containsKey(keyOf(submission));
    }
    boolean[] claimed = {false};
    bySignature.computeIfPresent(
        keyOf(submission),
        (k, e) -> {
          if (e.epoch() != from) {
            return e;
          }
          claimed[0] = true;
          return e.inEpoch(to);
        });
    return claimed[0];
  }

  /** Stops waiting: the submission was refused before it left this node. */
  void remove(Submission submission) {
    bySignature.remove(keyOf(submission));
  }

  boolean isEmpty() {
    return bySignature.isEmpty();
  }

  int size() {
    return bySignature.size();
  }

  /**
   * Completes the envelopes {@code block} holds; {@code config} says whether it is a config one.
   */
  void written(Block block, boolean config) {
    if (bySignature.isEmpty()) {
      return;
    }
    for (ByteString data : block.getData().getDataList()) {
      ByteString key = config ? configUpdateSignature(data) : signatureOf(data);
      Entry entry = bySignature.remove(key);
      if (entry != null) {
        entry.written().complete(null);
      }
    }
  }

  /**
   * The submissions last sent before leader epoch {@code epoch}: every entry of the terms before it
   * is committed or gone, so those not written yet are lost and are submitted again. They now
   * belong to {@code epoch}.
   */
  List<Submission> lostBefore(int epoch) {
    List<Submission> lost = new ArrayList<>();
    for (Map.Entry<ByteString, Entry> e : bySignature.entrySet()) {
      Entry entry = e.getValue();
      if (entry.epoch() < epoch && bySignature.replace(e.getKey(), entry, entry.inEpoch(epoch))) {
        lost.add(entry.submission());
      }
    }
    return lost;
  }

  /** Fails the envelopes past their deadline. */
  void expire(long nowNanos, String why) {
    Iterator<Map.Entry<ByteString, Entry>> it = bySignature.entrySet().iterator();
    while (it.hasNext()) {
      Entry entry = it.next().getValue();
      if (nowNanos - entry.deadline() >= 0) {
        it.remove();
        entry.written().completeExceptionally(new ChainUnavailableException(why));
      }
    }
  }

  /** Fails every envelope: the chain stopped. */
  void failAll(String why) {
    Iterator<Entry> it = bySignature.values().iterator();
    while (it.hasNext()) {
      Entry entry = it.next();
      it.remove();
      entry.written().completeExceptionally(new ChainUnavailableException(why));
    }
  }

  private static ByteString keyOf(Submission submission) {
    Envelope env = submission.request().getPayload();
    return submission.config() ? configUpdateSignature(env.toByteString()) : env.getSignature();
  }

  /** An envelope's signature (field 2), read without parsing its payload. */
  static ByteString signatureOf(ByteString envelope) {
    try {
      CodedInputStream in = envelope.newCodedInput();
      in.enableAliasing(true);
      while (true) {
        int tag = in.readTag();
        if (tag == 0) {
          return ByteString.EMPTY;
        }
        if (tag == ((Envelope.SIGNATURE_FIELD_NUMBER << 3) | 2)) {
          return in.readBytes();
        }
        in.skipField(tag);
      }
    } catch (IOException e) {
      return ByteString.EMPTY;
    }
  }

  /** The signature of the config update a CONFIG envelope was made from. */
  static ByteString configUpdateSignature(ByteString configEnvelope) {
    try {
      Payload payload = Payload.parseFrom(Envelope.parseFrom(configEnvelope).getPayload());
      return ConfigEnvelope.parseFrom(payload.getData()).getLastUpdate().getSignature();
    } catch (InvalidProtocolBufferException e) {
      return ByteString.EMPTY;
    }
  }
}

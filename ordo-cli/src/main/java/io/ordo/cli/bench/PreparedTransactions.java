package io.ordo.cli.bench;

import com.google.protobuf.ByteString;
import io.ordo.cli.client.SignedEnvelopes;
import io.ordo.fabric.crypto.Hashes;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;

/**
 * The benchmark's transactions, signed before the clock starts: ENDORSER_TRANSACTION envelopes
 * whose data is a {@code peer.Transaction} with one action, so that Fabric's tools decode the
 * blocks. The random bytes are the chaincode response's payload (opaque to every decoder); there is
 * no endorsement, as an orderer does not check one. Tx ids follow Fabric's rule, hex(SHA-256(nonce
 * || creator)).
 */
public final class PreparedTransactions {
  /** The chaincode name the transactions claim, so that they are recognisable in blocks. */
  public static final String CHAINCODE = "ordo-bench";

  private final Envelope[] envelopes;
  private final String[] txIds;
  private final Map<String, Integer> indexByTxId;
  private final int meanRandomBytes;

  private PreparedTransactions(Envelope[] envelopes, String[] txIds, int meanRandomBytes) {
    this.envelopes = envelopes;
    this.txIds = txIds;
    this.meanRandomBytes = meanRandomBytes;
    this.indexByTxId = new HashMap<>(txIds.length * 2);
    for (int i = 0; i < txIds.length; i++) {
      indexByTxId.put(txIds[i], i);
    }
  }

  /**
   * Signs {@code count} transactions, each an envelope of exactly {@code envelopeBytes} bytes once
   * marshalled, in parallel. The random bytes fill what the headers, the creator certificate (in
   * the signature header and again in the transaction action's header) and the signature leave.
   *
   * @param seed the seed of the random payloads (nonces come from the signer's secure random)
   * @throws EnvelopeSizeException when {@code envelopeBytes} is below the smallest envelope this
   *     client can sign
   */
  public static PreparedTransactions sign(
      SignedEnvelopes signer,
      String channel,
      int count,
      int envelopeBytes,
      long seed,
      Instant now) {
    EnvelopeSizer sizer = new EnvelopeSizer(signer, channel, now);
    int smallest = sizer.smallest();
    if (envelopeBytes < smallest) {
      throw new EnvelopeSizeException(envelopeBytes, smallest);
    }
    Envelope[] envelopes = new Envelope[count];
    String[] txIds = new String[count];
    int[] randomBytes = new int[count];
    IntStream.range(0, count)
        .parallel()
        .forEach(
            i -> {
              EnvelopeSizer.Sized sized =
                  sizer.envelopeOf(envelopeBytes, new SplittableRandom(seed + i));
              envelopes[i] = sized.envelope();
              txIds[i] = sized.txId();
              randomBytes[i] = sized.randomBytes();
            });
    long total = 0;
    for (int r : randomBytes) {
      total += r;
    }
    return new PreparedTransactions(envelopes, txIds, count == 0 ? 0 : (int) (total / count));
  }

  /**
   * {@code count} transactions signed by {@code signer}, each with exactly {@code payloadBytes}
   * random bytes (the data bytes Fabric's load tools count), whatever size that makes the envelope.
   */
  public static PreparedTransactions signPayload(
      SignedEnvelopes signer, String channel, int count, int payloadBytes, long seed, Instant now) {
    Envelope[] envelopes = new Envelope[count];
    String[] txIds = new String[count];
    IntStream.range(0, count)
        .parallel()
        .forEach(
            i -> {
              byte[] random = new byte[payloadBytes];
              new SplittableRandom(seed + i).nextBytes(random);
              byte[] nonce = signer.nonce();
              txIds[i] = signer.txId(nonce);
              envelopes[i] = envelope(signer, channel, txIds[i], nonce, random, now);
            });
    return new PreparedTransactions(envelopes, txIds, payloadBytes);
  }

  /** The envelope of one transaction around {@code random}, signed. */
  static Envelope envelope(
      SignedEnvelopes signer,
      String channel,
      String txId,
      byte[] nonce,
      byte[] random,
      Instant now) {
    SignatureHeader header = signer.signatureHeader(nonce);
    return signer.envelope(
        HeaderType.ENDORSER_TRANSACTION,
        channel,
        txId,
        header,
        transaction(header, random).toByteString(),
        now);
  }

  static Transaction transaction(SignatureHeader header, byte[] randomBytes) {
    ChaincodeID chaincode = ChaincodeID.newBuilder().setName(CHAINCODE).build();
    ByteString proposalPayload =
        ChaincodeProposalPayload.newBuilder()
            .setInput(
                ChaincodeInvocationSpec.newBuilder()
                    .setChaincodeSpec(
                        ChaincodeSpec.newBuilder()
                            .setType(ChaincodeSpec.Type.GOLANG)
                            .setChaincodeId(chaincode)
                            .setInput(
                                ChaincodeInput.newBuilder()
                                    .addArgs(ByteString.copyFromUtf8("bench"))))
                    .build()
                    .toByteString())
            .build()
            .toByteString();
    ChaincodeAction action =
        ChaincodeAction.newBuilder()
            .setChaincodeId(chaincode)
            .setResponse(
                Response.newBuilder().setStatus(200).setPayload(ByteString.copyFrom(randomBytes)))
            .build();
    ByteString responsePayload =
        ProposalResponsePayload.newBuilder()
            .setProposalHash(
                ByteString.copyFrom(
                    Hashes.sha256(header.toByteArray(), proposalPayload.toByteArray())))
            .setExtension(action.toByteString())
            .build()
            .toByteString();
    return Transaction.newBuilder()
        .addActions(
            TransactionAction.newBuilder()
                .setHeader(header.toByteString())
                .setPayload(
                    ChaincodeActionPayload.newBuilder()
                        .setChaincodeProposalPayload(proposalPayload)
                        .setAction(
                            ChaincodeEndorsedAction.newBuilder()
                                .setProposalResponsePayload(responsePayload))
                        .build()
                        .toByteString()))
        .build();
  }

  public int size() {
    return envelopes.length;
  }

  public Envelope envelope(int index) {
    return envelopes[index];
  }

  public String txId(int index) {
    return txIds[index];
  }

  /** The index of a transaction of this run, or -1 for any other tx id. */
  public int indexOf(String txId) {
    Integer i = indexByTxId.get(txId);
    return i == null ? -1 : i;
  }

  /** The mean number of random bytes in a transaction (what the envelope size leaves for them). */
  public int meanRandomBytes() {
    return meanRandomBytes;
  }

  /** The mean serialised envelope size in bytes. */
  public long meanEnvelopeBytes() {
    long total = 0;
    for (Envelope e : envelopes) {
      total += e.getSerializedSize();
    }
    return envelopes.length == 0 ? 0 : total / envelopes.length;
  }
}

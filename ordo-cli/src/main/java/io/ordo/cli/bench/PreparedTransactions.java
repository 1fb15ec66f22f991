package io.ordo.cli.bench;

import com.google.protobuf.ByteString;
import io.ordo.cli.orderer.SignedEnvelopes;
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

  private PreparedTransactions(Envelope[] envelopes, String[] txIds) {
    this.envelopes = envelopes;
    this.txIds = txIds;
    this.indexByTxId = new HashMap<>(txIds.length * 2);
    for (int i = 0; i < txIds.length; i++) {
      indexByTxId.put(txIds[i], i);
    }
  }

  /**
   * Signs {@code count} transactions of {@code payloadBytes} random bytes each, in parallel.
   *
   * @param seed the seed of the random payloads (nonces come from the signer's secure random)
   */
  public static PreparedTransactions sign(
      SignedEnvelopes signer, String channel, int count, int payloadBytes, long seed, Instant now) {
    Envelope[] envelopes = new Envelope[count];
    String[] txIds = new String[count];
    IntStream.range(0, count)
        .parallel()
        .forEach(
            i -> {
              byte[] payload = new byte[payloadBytes];
              new SplittableRandom(seed + i).nextBytes(payload);
              byte[] nonce = signer.nonce();
              String txId = signer.txId(nonce);
              SignatureHeader header = signer.signatureHeader(nonce);
              txIds[i] = txId;
              envelopes[i] =
                  signer.envelope(
                      HeaderType.ENDORSER_TRANSACTION,
                      channel,
                      txId,
                      header,
                      transaction(header, payload).toByteString(),
                      now);
            });
    return new PreparedTransactions(envelopes, txIds);
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

  /** The mean serialised envelope size in bytes. */
  public long meanEnvelopeBytes() {
    long total = 0;
    for (Envelope e : envelopes) {
      total += e.getSerializedSize();
    }
    return envelopes.length == 0 ? 0 : total / envelopes.length;
  }
}

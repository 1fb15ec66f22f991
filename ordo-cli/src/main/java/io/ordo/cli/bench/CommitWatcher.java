package io.ordo.cli.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.grpc.ManagedChannel;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.orderer.DeliverStream;
import io.ordo.cli.orderer.GrpcErrors;
import io.ordo.cli.orderer.OrdererEndpoint;
import io.ordo.cli.orderer.SignedEnvelopes;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.SeekInfo;

/**
 * Watches one orderer's Deliver stream of the channel, from its newest block on, and marks each
 * transaction of the run committed when it appears in a block. A failed stream is opened again from
 * the block after the last one seen.
 */
final class CommitWatcher implements AutoCloseable {
  private static final int MAX_REOPENS = 3;

  private final OrdererEndpoint endpoint;
  private final ManagedChannel channel;
  private final SignedEnvelopes envelopes;
  private final String channelId;
  private final PreparedTransactions txs;
  private final BenchProgress progress;
  private final CompletableFuture<Long> firstBlock = new CompletableFuture<>();
  private final CompletableFuture<Void> failed = new CompletableFuture<>();
  private volatile long lastBlock = -1;
  private volatile DeliverStream stream;
  private volatile boolean closed;
  private int reopens;

  CommitWatcher(
      OrdererEndpoint endpoint,
      ManagedChannel channel,
      SignedEnvelopes envelopes,
      String channelId,
      PreparedTransactions txs,
      BenchProgress progress) {
    this.endpoint = endpoint;
    this.channel = channel;
    this.envelopes = envelopes;
    this.channelId = channelId;
    this.txs = txs;
    this.progress = progress;
  }

  /**
   * Opens the stream and waits for the channel's newest block, so that nothing sent afterwards can
   * be missed.
   *
   * @return the number of the newest block when the run starts
   */
  long start(Duration timeout) throws InterruptedException {
    open(SignedEnvelopes.fromNewest());
    try {
      return CompletableFuture.anyOf(firstBlock, failed)
          .thenCompose(x -> firstBlock)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof CommandFailedException c
          ? c
          : new CommandFailedException(
              "cannot deliver from " + endpoint + ": " + GrpcErrors.describe(e.getCause()),
              e.getCause());
    } catch (TimeoutException e) {
      throw new CommandFailedException(
          "orderer " + endpoint + " sent no block of channel " + channelId + " within " + timeout);
    }
  }

  /** Completes exceptionally when the stream fails for good. */
  CompletableFuture<Void> failed() {
    return failed;
  }

  private void open(SeekInfo seek) {
    DeliverStream s =
        DeliverStream.open(channel, envelopes.seek(channelId, seek, Instant.now()), this::onBlock);
    stream = s;
    s.finished().whenComplete((status, error) -> onEnd(s, status, error));
  }

  private void onEnd(DeliverStream s, Status status, Throwable error) {
    if (closed || s != stream) {
      return;
    }
    String why =
        error != null ? GrpcErrors.describe(error) : "the orderer answered " + status.name();
    if (error == null && status != Status.SERVICE_UNAVAILABLE) {
      // BAD_REQUEST, FORBIDDEN, NOT_FOUND: asking again will not help
      fail("deliver from " + endpoint + " of channel " + channelId + " refused: " + why, error);
      return;
    }
    if (!firstBlock.isDone() || ++reopens > MAX_REOPENS) {
      fail("cannot deliver from " + endpoint + ": " + why, error);
      return;
    }
    progress.streamError();
    open(SignedEnvelopes.range(lastBlock + 1, Long.MAX_VALUE));
  }

  private void fail(String message, Throwable cause) {
    CommandFailedException e = new CommandFailedException(message, cause);
    firstBlock.completeExceptionally(e);
    failed.completeExceptionally(e);
  }

  private void onBlock(Block block) {
    long now = System.nanoTime();
    long number = block.getHeader().getNumber();
    lastBlock = number;
    if (!firstBlock.isDone()) {
      firstBlock.complete(number);
      return; // written before the run
    }
    int[] ours = new int[block.getData().getDataCount()];
    int found = 0;
    for (ByteString data : block.getData().getDataList()) {
      int index = txs.indexOf(txId(data));
      if (index >= 0) {
        ours[found++] = index;
      }
    }
    if (found == 0) {
      return;
    }
    // the block is counted before its transactions: the run ends as soon as the last one is
    // committed, and its figures must include the block that carried it
    progress.block();
    for (int i = 0; i < found; i++) {
      progress.committed(ours[i], now);
    }
  }

  /**
   * The transaction ID in an envelope's channel header. Only the header is decoded: the envelope
   * and payload are walked field by field and their other fields (the random data, the signature)
   * skipped, since this runs for every envelope of every delivered block.
   */
  static String txId(ByteString envelopeBytes) {
    try {
      ByteString payload = field(envelopeBytes, ENVELOPE_PAYLOAD);
      ByteString header = field(payload, PAYLOAD_HEADER);
      ByteString channelHeader = field(header, HEADER_CHANNEL_HEADER);
      return ChannelHeader.parseFrom(channelHeader).getTxId();
    } catch (IOException e) {
      return ""; // not a transaction of ours
    }
  }

  private static final int ENVELOPE_PAYLOAD = 1;
  private static final int PAYLOAD_HEADER = 1;
  private static final int HEADER_CHANNEL_HEADER = 1;

  /** The last occurrence of length-delimited field {@code number} (protobuf's merge rule). */
  private static ByteString field(ByteString message, int number) throws IOException {
    CodedInputStream in = message.newCodedInput();
    in.enableAliasing(true);
    ByteString found = ByteString.EMPTY;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == number
          && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        found = in.readBytes();
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    return found;
  }

  @Override
  public void close() {
    closed = true;
    DeliverStream s = stream;
    if (s != null) {
      s.close();
    }
  }
}

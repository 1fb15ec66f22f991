package io.ordo.cli.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.grpc.ManagedChannel;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.client.DeliverCall;
import io.ordo.cli.client.GrpcChannels;
import io.ordo.cli.client.GrpcErrors;
import io.ordo.cli.client.OrdererEndpoint;
import io.ordo.cli.client.SignedEnvelopes;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.SeekInfo;

/**
 * Watches an orderer's Deliver stream of the channel, from its newest block on, and marks each
 * transaction of the run committed when it appears in a block. A failed stream is opened again from
 * the block after the last one seen: on the first orderer, at most {@value #MAX_REOPENS} times; or,
 * when the run goes through failures, on the next orderer in turn each time, as long as the run
 * lasts, so that commits are still seen while an orderer is down.
 */
final class CommitWatcher implements AutoCloseable {
  private static final int MAX_REOPENS = 3;

  private final OrdererRing ring;
  private final boolean failover;
  private final StreamFaults faults;
  private final SignedEnvelopes envelopes;
  private final String channelId;
  private final PreparedTransactions txs;
  private final BenchProgress progress;
  private final CompletableFuture<Long> firstBlock = new CompletableFuture<>();
  private final CompletableFuture<Void> failed = new CompletableFuture<>();
  private final ScheduledExecutorService reopener =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "ordo-bench-deliver-reopen");
            t.setDaemon(true);
            return t;
          });
  private volatile long lastBlock = -1;
  private volatile DeliverCall stream;
  private volatile boolean closed;
  private int reopens;
  private int turn;
  private int attempts;
  private OrdererEndpoint endpoint;
  private ManagedChannel channel;

  /**
   * @param failover whether a failed stream moves on to the next orderer of {@code ring}, with no
   *     bound on how often (the run's timeout bounds it)
   */
  CommitWatcher(
      OrdererRing ring,
      boolean failover,
      StreamFaults faults,
      SignedEnvelopes envelopes,
      String channelId,
      PreparedTransactions txs,
      BenchProgress progress) {
    this.ring = ring;
    this.failover = failover;
    this.faults = faults;
    this.envelopes = envelopes;
    this.channelId = channelId;
    this.txs = txs;
    this.progress = progress;
    this.endpoint = ring.at(0);
    this.channel = ring.open(endpoint);
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

  private synchronized void open(SeekInfo seek) {
    if (closed) {
      return;
    }
    DeliverCall s =
        DeliverCall.open(channel, envelopes.seek(channelId, seek, Instant.now()), this::onBlock);
    stream = s;
    s.finished().whenComplete((status, error) -> onEnd(s, status, error));
  }

  private synchronized void onEnd(DeliverCall s, Status status, Throwable error) {
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
    if (failover) {
      failOver();
      return;
    }
    if (!firstBlock.isDone() || ++reopens > MAX_REOPENS) {
      fail("cannot deliver from " + endpoint + ": " + why, error);
      return;
    }
    progress.streamError();
    open(SignedEnvelopes.range(lastBlock + 1, Long.MAX_VALUE));
  }

  /** Opens the stream again on the next orderer, after the wait {@link OrdererRing} says. */
  private void failOver() {
    if (attempts == 0) {
      progress.streamError();
      faults.deliverBroke(endpoint, System.nanoTime());
    }
    ManagedChannel old = channel;
    endpoint = ring.at(++turn);
    channel = ring.open(endpoint);
    reopener.execute(() -> GrpcChannels.close(old));
    reopener.schedule(
        () ->
            open(
                firstBlock.isDone()
                    ? SignedEnvelopes.range(lastBlock + 1, Long.MAX_VALUE)
                    : SignedEnvelopes.fromNewest()),
        OrdererRing.retryDelayMillis(++attempts),
        TimeUnit.MILLISECONDS);
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
    synchronized (this) {
      attempts = 0;
    }
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
    DeliverCall s;
    ManagedChannel c;
    synchronized (this) {
      closed = true;
      s = stream;
      c = channel;
    }
    if (s != null) {
      s.close();
    }
    reopener.shutdownNow();
    GrpcChannels.close(c);
  }
}

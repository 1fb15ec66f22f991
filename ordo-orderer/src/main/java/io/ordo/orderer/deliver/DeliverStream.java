package io.ordo.orderer.deliver;

import com.google.protobuf.UnknownFieldSet;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.ordo.fabric.block.ConfigBlocks;
import io.ordo.orderer.ops.ChannelLog;
import io.ordo.orderer.rpc.CallTrailers;
import io.ordo.orderer.rpc.PeerLog;
import io.ordo.storage.io.StorageCorruptionException;
import io.ordo.storage.ledger.BlockLedger;
import io.ordo.storage.ledger.BlockPrunedException;
import io.ordo.storage.ledger.LedgerClosedException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Deliver stream. Requests are read one at a time (inbound flow control asks for the next only
 * after a SUCCESS); each is served on a virtual thread that parks on futures while it waits for a
 * block, for the chain to err, for the client to go away or for gRPC to accept more outbound data,
 * so neither a waiting nor a slow client holds a platform thread or makes the server buffer.
 */
final class DeliverStream implements StreamObserver<Envelope> {
  private static final Logger LOG = LoggerFactory.getLogger(DeliverStream.class);

  private final ServerCallStreamObserver<DeliverResponse> responses;
  private final SeekRequests requests;
  private final Executor workers;
  private final DeliverMetrics metrics;
  private final PeerLog refusals;
  private final String remote;
  private final Optional<X509Certificate> clientCertificate;
  private final CompletableFuture<Void> cancelled = new CompletableFuture<>();

  /** The trailers the call ends with, taken on the call's thread. */
  private final Metadata trailers = CallTrailers.current();

  private final AtomicReference<CompletableFuture<Void>> readySignal = new AtomicReference<>();
  private final Object lock = new Object();
  private boolean serving;
  private boolean halfClosed;
  private boolean ended;

  DeliverStream(
      ServerCallStreamObserver<DeliverResponse> responses,
      SeekRequests requests,
      Executor workers,
      DeliverMetrics metrics,
      PeerLog refusals,
      String remote,
      Optional<X509Certificate> clientCertificate) {
    this.refusals = refusals;
    this.responses = responses;
    this.requests = requests;
    this.workers = workers;
    this.metrics = metrics;
    this.remote = remote;
    this.clientCertificate = clientCertificate;
    responses.disableAutoRequest();
    responses.setOnCancelHandler(
        () -> {
          cancelled.complete(null);
          wakeWriter();
        });
    responses.setOnReadyHandler(this::wakeWriter);
    metrics.streamOpened();
    responses.request(1);
  }

  @Override
  public void onNext(Envelope request) {
    synchronized (lock) {
      if (ended) {
        return;
      }
      serving = true;
    }
    workers.execute(() -> serve(request));
  }

  @Override
  public void onError(Throwable t) {
    cancelled.complete(null);
    wakeWriter();
    end(false);
  }

  @Override
  public void onCompleted() {
    synchronized (lock) {
      halfClosed = true;
      if (serving) {
        return; // the request being served finishes first, as Fabric reads EOF only after it
      }
    }
    end(true);
  }

  private void serve(Envelope request) {
    Optional<Status> status;
    String channel = "unknown";
    try {
      SeekOutcome outcome = requests.check(request, clientCertificate);
      if (outcome instanceof SeekOutcome.Refused r) {
        channel = r.channel();
        refusals.warn(
            remote,
            r.channel(),
            "deliver request from " + remote + " refused, " + r.status() + ": " + r.reason());
        if (r.firstHeld() >= 0) {
          PrunedBlocks.tell(trailers, r.firstHeld(), r.reason());
        }
        status = Optional.of(r.status());
      } else {
        SeekPlan plan = ((SeekOutcome.Serve) outcome).plan();
        channel = plan.channel();
        metrics.requestReceived(channel);
        status = deliver(plan);
      }
    } catch (BlockPrunedException e) {
      // a prune overtook a slow stream
      String reason = PrunedBlocks.reason(e.number(), e.first());
      ChannelLog.of(LOG, channel).warn("deliver to {} stopped: {}", remote, reason);
      PrunedBlocks.tell(trailers, e.first(), reason);
      status = Optional.of(Status.NOT_FOUND);
    } catch (StorageCorruptionException e) {
      // the ledger's owner was told and repairs the channel; the client may try again later
      ChannelLog.of(LOG, channel)
          .warn("deliver to {} stopped at a damaged block: {}", remote, e.getMessage());
      status = Optional.of(Status.SERVICE_UNAVAILABLE);
    } catch (LedgerClosedException e) {
      ChannelLog.of(LOG, channel).info("deliver to {} stopped: the channel was halted", remote);
      status = Optional.of(Status.SERVICE_UNAVAILABLE);
    } catch (StatusRuntimeException e) {
      // a send the transport refused (a block over General.MaxSendMsgSize): the call has ended
      // with the transport's status, as Fabric's Deliver ends when its send fails
      ChannelLog.of(LOG, channel).warn("error sending to {}: {}", remote, e.getMessage());
      status = Optional.empty();
    } catch (RuntimeException e) {
      ChannelLog.of(LOG, channel).error("deliver to {} failed unexpectedly", remote, e);
      status = Optional.of(Status.INTERNAL_SERVER_ERROR);
    }
    respond(channel, status);
  }

  /** Bytes that are not an Envelope: answered BAD_REQUEST, which ends the stream. */
  void malformed(String why) {
    synchronized (lock) {
      if (ended) {
        return;
      }
      serving = true;
    }
    refusals.warn(
        remote, "deliver request from " + remote + " refused: malformed envelope: " + why);
    workers.execute(() -> respond("unknown", Optional.of(Status.BAD_REQUEST)));
  }

  /** Sends the request's final status and asks for the next request, or ends the stream. */
  private void respond(String channel, Optional<Status> status) {
    if (status.isEmpty()) {
      end(false); // client gone: no status to send
      return;
    }
    metrics.requestCompleted(channel, status.get() == Status.SUCCESS);
    if (!awaitWritable()) {
      end(false);
      return;
    }
    responses.onNext(DeliverResponse.newBuilder().setStatus(status.get()).build());
    if (status.get() != Status.SUCCESS) {
      end(true);
      return;
    }
    boolean finish;
    synchronized (lock) {
      serving = false;
      finish = halfClosed;
    }
    if (finish) {
      end(true);
    } else {
      responses.request(1);
    }
  }

  /** Sends blocks start..stop; the final status, or empty when the client went away. */
  private Optional<Status> deliver(SeekPlan plan) {
    if (!plan.startFound()) {
      return Optional.of(Status.NOT_FOUND);
    }
    CompletableFuture<Void> errored =
        plan.strict() ? plan.support().errored() : new CompletableFuture<>();
    long number = plan.start();
    while (true) {
      BlockLedger ledger = plan.support().ledger();
      if (plan.failIfNotReady() && number > ledger.height() - 1) {
        return Optional.of(Status.NOT_FOUND);
      }
      if (number >= ledger.height()) {
        Optional<Status> waited = awaitBlock(ledger, number, errored);
        if (waited.isPresent()) {
          return waited.get() == Status.UNKNOWN ? Optional.empty() : waited;
        }
      }
      DeliverResponse response = response(ledger, number, plan.headersOnly());
      Optional<String> denied = plan.access().check();
      if (denied.isPresent()) {
        ChannelLog.of(LOG, plan.channel()).warn("deliver to {} stopped: {}", remote, denied.get());
        return Optional.of(Status.FORBIDDEN);
      }
      if (!awaitWritable()) {
        return Optional.empty();
      }
      responses.onNext(response);
      metrics.blockSent(plan.channel());
      if (number == plan.stop()) {
        return Optional.of(Status.SUCCESS);
      }
      number++;
    }
  }

  /**
   * Parks until block {@code number} exists. Empty when it does; SERVICE_UNAVAILABLE when the chain
   * erred or the ledger closed; UNKNOWN as a marker for a departed client.
   */
  private Optional<Status> awaitBlock(
      BlockLedger ledger, long number, CompletableFuture<Void> errored) {
    CompletableFuture<Long> height = ledger.awaitHeight(number + 1);
    try {
      CompletableFuture.anyOf(height, errored, cancelled).handle((r, t) -> null).join();
    } finally {
      height.cancel(false); // leaves the ledger's waiter list if it did not complete
    }
    if (cancelled.isDone()) {
      return Optional.of(Status.UNKNOWN);
    }
    if (height.isDone() && !height.isCompletedExceptionally()) {
      return Optional.empty();
    }
    return Optional.of(Status.SERVICE_UNAVAILABLE);
  }

  /** Parks until gRPC can take another message without buffering; false if the client left. */
  private boolean awaitWritable() {
    while (!responses.isReady()) {
      if (cancelled.isDone()) {
        return false;
      }
      CompletableFuture<Void> signal = new CompletableFuture<>();
      readySignal.set(signal);
      if (responses.isReady()) {
        break;
      }
      CompletableFuture.anyOf(signal, cancelled).join();
    }
    return !cancelled.isDone();
  }

  private void wakeWriter() {
    CompletableFuture<Void> signal = readySignal.get();
    if (signal != null) {
      signal.complete(null);
    }
  }

  private void end(boolean complete) {
    synchronized (lock) {
      if (ended) {
        return;
      }
      ended = true;
    }
    metrics.streamClosed();
    if (complete && !cancelled.isDone()) {
      responses.onCompleted();
    }
  }

  /** Fabric's IsConfigBlock: exactly one envelope, whose channel header type is CONFIG. */
  /**
   * A block as the response carries it. A whole block goes out as the ledger stored it: its bytes
   * are placed where a {@code DeliverResponse} holds its block (field 2), which is the same
   * encoding as setting the block, without decoding a megabyte into objects and encoding it back
   * for every reader.
   */
  private static DeliverResponse response(BlockLedger ledger, long number, boolean headersOnly) {
    if (headersOnly) {
      Block block = ledger.block(number);
      if (!ConfigBlocks.isConfigBlock(block)) {
        block = block.toBuilder().clearData().build();
      }
      return DeliverResponse.newBuilder().setBlock(block).build();
    }
    return DeliverResponse.newBuilder()
        .setUnknownFields(
            UnknownFieldSet.newBuilder()
                .addField(
                    DeliverResponse.BLOCK_FIELD_NUMBER,
                    UnknownFieldSet.Field.newBuilder()
                        .addLengthDelimited(ledger.blockBytes(number))
                        .build())
                .build())
        .build();
  }
}

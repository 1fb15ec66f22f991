package io.ordo.orderer.broadcast;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Broadcast stream. Each envelope is validated on the shared pool as soon as it arrives; one
 * virtual thread per stream takes the envelopes in arrival order, waits for each one's validation,
 * hands it to its chain and answers, so answers leave in arrival order whatever order validations
 * finish in (and a chain that pauses its intake holds only that thread). gRPC inbound flow control
 * keeps at most {@code maxInFlight} envelopes of a stream between read and answer.
 */
final class BroadcastStream implements StreamObserver<Envelope> {
  private static final Logger LOG = LoggerFactory.getLogger(BroadcastStream.class);

  private final ServerCallStreamObserver<BroadcastResponse> responses;
  private final EnvelopeValidator validator;
  private final Executor validation;
  private final Executor sequencer;
  private final BroadcastMetrics metrics;
  private final String remote;
  private final AtomicBoolean ended = new AtomicBoolean();

  /** Most envelopes answered before gRPC is asked for as many more. */
  private static final int REQUEST_BATCH = 8;

  /** Envelopes answered since gRPC was last asked for more; owned by the answering thread. */
  private int owed;

  /**
   * Envelopes in arrival order, then {@link #end} when the client half-closes or the stream ends.
   */
  private final LinkedBlockingQueue<CompletableFuture<Timed>> arrivals =
      new LinkedBlockingQueue<>();

  /** Never completed: only compared by identity. */
  private final CompletableFuture<Timed> end = new CompletableFuture<>();

  BroadcastStream(
      ServerCallStreamObserver<BroadcastResponse> responses,
      EnvelopeValidator validator,
      Executor validation,
      Executor sequencer,
      BroadcastMetrics metrics,
      String remote,
      int maxInFlight) {
    this.responses = responses;
    this.validator = validator;
    this.validation = validation;
    this.sequencer = sequencer;
    this.metrics = metrics;
    this.remote = remote;
    responses.disableAutoRequest();
    responses.setOnCancelHandler(this::cancelled);
    responses.request(maxInFlight);
    sequencer.execute(this::answerInOrder);
  }

  private void cancelled() {
    ended.set(true);
    arrivals.add(end); // wakes the answering thread, which then stops
  }

  @Override
  public void onNext(Envelope envelope) {
    if (ended.get()) {
      return;
    }
    long start = System.nanoTime();
    CompletableFuture<Validated> validated;
    try {
      validated = CompletableFuture.supplyAsync(() -> validate(envelope), validation);
    } catch (RejectedExecutionException e) {
      metrics.validationRejected();
      validated =
          CompletableFuture.completedFuture(
              new Validated.Refused(
                  Status.SERVICE_UNAVAILABLE,
                  "broadcast validation queue is full",
                  EnvelopeValidator.UNKNOWN,
                  EnvelopeValidator.UNKNOWN));
    }
    arrivals.add(
        validated.thenApply(v -> new Timed(v, Duration.ofNanos(System.nanoTime() - start))));
  }

  /** The stream's answering thread: one envelope after the other, in arrival order. */
  private void answerInOrder() {
    try {
      while (true) {
        CompletableFuture<Timed> next = arrivals.take();
        if (next == end) {
          if (ended.compareAndSet(false, true)) {
            responses.onCompleted();
          }
          return;
        }
        Timed timed;
        try {
          timed = next.get();
        } catch (ExecutionException e) {
          // validate() catches what the validator throws; nothing else completes exceptionally
          throw new IllegalStateException("broadcast validation failed", e.getCause());
        }
        answer(timed);
        if (ended.get()) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the handler is closing
    } catch (RuntimeException e) {
      LOG.error("broadcast stream from {} failed unexpectedly", remote, e);
      if (ended.compareAndSet(false, true)) {
        responses.onError(
            io.grpc.Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
      }
    }
  }

  private Validated validate(Envelope envelope) {
    try {
      return validator.validate(envelope);
    } catch (RuntimeException e) {
      LOG.error("validating an envelope from {} failed unexpectedly", remote, e);
      return new Validated.Refused(
          Status.INTERNAL_SERVER_ERROR,
          String.valueOf(e.getMessage()),
          EnvelopeValidator.UNKNOWN,
          EnvelopeValidator.UNKNOWN);
    }
  }

  private record Timed(Validated validated, Duration validateTime) {}

  /** Runs on the stream's answering thread, strictly after the previous envelope's answer. */
  private void answer(Timed timed) {
    if (ended.get()) {
      return;
    }
    Validated v = timed.validated();
    BroadcastResponse response;
    Duration enqueue = null;
    try {
      if (v instanceof Validated.Accepted a) {
        long start = System.nanoTime();
        response = enqueue(a);
        enqueue = Duration.ofNanos(System.nanoTime() - start);
      } else {
        Validated.Refused r = (Validated.Refused) v;
        response = BroadcastResponse.newBuilder().setStatus(r.status()).setInfo(r.info()).build();
      }
    } catch (RuntimeException e) {
      LOG.error("[channel: {}] broadcast from {} failed unexpectedly", v.channel(), remote, e);
      response =
          BroadcastResponse.newBuilder()
              .setStatus(Status.INTERNAL_SERVER_ERROR)
              .setInfo(String.valueOf(e.getMessage()))
              .build();
    }
    metrics.record(v, response.getStatus().name(), timed.validateTime(), enqueue);
    responses.onNext(response);
    if (response.getStatus() != Status.SUCCESS) {
      LOG.warn(
          "[channel: {}] refused {} envelope from {} with {}: {}",
          v.channel(),
          v.type(),
          remote,
          response.getStatus(),
          response.getInfo());
      if (ended.compareAndSet(false, true)) {
        responses.onCompleted();
      }
      return;
    }
    // Asking gRPC for more hands a task to the stream's event loop; while answers are queued
    // behind this one, ask for several at once.
    owed++;
    if (owed >= REQUEST_BATCH || arrivals.isEmpty()) {
      responses.request(owed);
      owed = 0;
    }
  }

  private BroadcastResponse enqueue(Validated.Accepted a) {
    try {
      a.support().waitReady();
      if (a.isConfig()) {
        a.support().configure(a.envelope(), a.configSeq());
      } else {
        a.support().order(a.envelope(), a.configSeq());
      }
    } catch (RuntimeException e) {
      return BroadcastResponse.newBuilder()
          .setStatus(Status.SERVICE_UNAVAILABLE)
          .setInfo(String.valueOf(e.getMessage()))
          .build();
    }
    return BroadcastResponse.newBuilder().setStatus(Status.SUCCESS).build();
  }

  @Override
  public void onError(Throwable t) {
    ended.set(true);
    arrivals.add(end);
    LOG.debug("broadcast stream from {} ended by the client: {}", remote, t.toString());
  }

  @Override
  public void onCompleted() {
    arrivals.add(end); // answered after every envelope before it
  }
}

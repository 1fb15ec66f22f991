package io.ordo.orderer.broadcast;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.ordo.orderer.rpc.PeerLog;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Broadcast stream. Each envelope is validated on the shared pool as soon as it arrives, and
 * answers leave in arrival order whatever order validations finish in: the thread that completes
 * the envelope at the head of the stream answers it and every validated one behind it. Handing an
 * envelope to its chain normally takes no waiting; when it would (a leader that paused its intake,
 * a follower forwarding to the leader, a config envelope), a virtual thread takes over the
 * answering until the validated envelopes run out, so a waiting chain holds no pool thread. gRPC
 * inbound flow control keeps at most {@code maxInFlight} envelopes of a stream between read and
 * answer.
 */
final class BroadcastStream implements StreamObserver<Envelope> {
  private static final Logger LOG = LoggerFactory.getLogger(BroadcastStream.class);

  private static final BroadcastResponse SUCCESS =
      BroadcastResponse.newBuilder().setStatus(Status.SUCCESS).build();

  /** Most envelopes answered before gRPC is asked for as many more. */
  private static final int REQUEST_BATCH = 8;

  private final ServerCallStreamObserver<BroadcastResponse> responses;
  private final EnvelopeValidator validator;
  private final Executor validation;
  private final Executor sequencer;
  private final BroadcastMetrics metrics;
  private final BroadcastMetrics.StreamRecorder recorder;
  private final PeerLog refusals;
  private final String remote;
  private final AtomicBoolean ended = new AtomicBoolean();

  /** Envelopes in arrival order, then {@link #end} when the client half-closes. */
  private final ConcurrentLinkedQueue<Pending> arrivals = new ConcurrentLinkedQueue<>();

  /** The stream's end in {@link #arrivals}: answered after every envelope before it. */
  private final Pending end = Pending.end();

  /**
   * Held by the one thread answering at a time; everything below it is owned by that thread, and
   * taking it after a release sees what the releasing thread did.
   */
  private final AtomicBoolean answering = new AtomicBoolean();

  /** Envelopes answered since gRPC was last asked for more. */
  private int owed;

  /** Taken from {@link #arrivals} but left for the virtual thread to hand to its chain. */
  private Pending parked;

  /** One envelope between its arrival and its answer. */
  private static final class Pending {
    final long arrived;
    final boolean isEnd;
    volatile Validated validated;
    long validateNanos;

    private Pending(long arrived, boolean isEnd) {
      this.arrived = arrived;
      this.isEnd = isEnd;
    }

    static Pending end() {
      return new Pending(0, true);
    }

    void complete(Validated v) {
      validateNanos = System.nanoTime() - arrived; // published by the volatile write below
      validated = v;
    }

    boolean done() {
      return isEnd || validated != null;
    }
  }

  BroadcastStream(
      ServerCallStreamObserver<BroadcastResponse> responses,
      EnvelopeValidator validator,
      Executor validation,
      Executor sequencer,
      BroadcastMetrics metrics,
      PeerLog refusals,
      String remote,
      int maxInFlight) {
    this.refusals = refusals;
    this.responses = responses;
    this.validator = validator;
    this.validation = validation;
    this.sequencer = sequencer;
    this.metrics = metrics;
    this.recorder = metrics.forStream();
    this.remote = remote;
    responses.disableAutoRequest();
    responses.setOnCancelHandler(this::cancelled);
    responses.request(maxInFlight);
  }

  private void cancelled() {
    ended.set(true);
    answerReady(); // drops what is left
  }

  @Override
  public void onNext(Envelope envelope) {
    if (ended.get()) {
      return;
    }
    Pending pending = new Pending(System.nanoTime(), false);
    arrivals.add(pending);
    try {
      validation.execute(
          () -> {
            pending.complete(validate(envelope));
            answerReady();
          });
    } catch (RejectedExecutionException e) {
      metrics.validationRejected();
      pending.complete(
          new Validated.Refused(
              Status.SERVICE_UNAVAILABLE,
              "broadcast validation queue is full",
              EnvelopeValidator.UNKNOWN,
              EnvelopeValidator.UNKNOWN));
      answerReady();
    }
  }

  /** Bytes that are not an Envelope: answered BAD_REQUEST in their place, which ends the stream. */
  void malformed(String why) {
    if (ended.get()) {
      return;
    }
    Pending pending = new Pending(System.nanoTime(), false);
    pending.complete(
        new Validated.Refused(
            Status.BAD_REQUEST,
            "malformed envelope: " + why,
            EnvelopeValidator.UNKNOWN,
            EnvelopeValidator.UNKNOWN));
    arrivals.add(pending);
    answerReady();
  }

  @Override
  public void onError(Throwable t) {
    ended.set(true);
    LOG.debug("broadcast stream from {} ended by the client: {}", remote, t.toString());
    answerReady(); // drops what is left
  }

  @Override
  public void onCompleted() {
    arrivals.add(end);
    answerReady();
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

  /**
   * Answers the validated envelopes at the head of the stream unless another thread is at it, and
   * looks again after letting go, so that an envelope completed meanwhile is not left behind.
   */
  private void answerReady() {
    while (answering.compareAndSet(false, true)) {
      if (answerHead(false)) {
        return; // a virtual thread holds the answering now
      }
      answering.set(false);
      Pending head = arrivals.peek();
      if (head == null || !head.done()) {
        return;
      }
    }
  }

  /** Runs on a virtual thread: answers, waiting for the chain where it must, then lets go. */
  private void answerWaiting() {
    Pending first = parked;
    parked = null;
    answerOne(first, true);
    answerHead(true);
    answering.set(false);
    answerReady();
  }

  /**
   * Answers validated envelopes from the head, in order, while holding {@link #answering}.
   *
   * @param mayWait whether handing an envelope to its chain may wait
   * @return true when it handed the answering to a virtual thread, which now holds {@link
   *     #answering}
   */
  private boolean answerHead(boolean mayWait) {
    Pending head;
    while ((head = arrivals.peek()) != null && head.done()) {
      arrivals.poll();
      if (ended.get()) {
        arrivals.clear();
        return false;
      }
      if (head.isEnd) {
        if (ended.compareAndSet(false, true)) {
          responses.onCompleted();
        }
        return false;
      }
      if (!mayWait && !answerOne(head, false)) {
        parked = head;
        try {
          sequencer.execute(this::answerWaiting);
        } catch (RejectedExecutionException e) {
          parked = null;
          fail(new IllegalStateException("broadcast is shutting down", e));
          return false;
        }
        return true;
      }
      if (mayWait) {
        answerOne(head, true);
      }
    }
    return false;
  }

  /**
   * Answers one envelope, or ends the stream if that fails.
   *
   * @return false, having done nothing, when the envelope's chain would have to wait and {@code
   *     mayWait} is false
   */
  private boolean answerOne(Pending pending, boolean mayWait) {
    try {
      return answer(pending, mayWait);
    } catch (RuntimeException e) {
      fail(e);
      return false;
    }
  }

  private void fail(RuntimeException e) {
    LOG.error("broadcast stream from {} failed unexpectedly", remote, e);
    arrivals.clear();
    if (ended.compareAndSet(false, true)) {
      responses.onError(
          io.grpc.Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
    }
  }

  /**
   * Answers one envelope, strictly after the previous envelope's answer.
   *
   * @return false, having done nothing, when its chain would have to wait and {@code mayWait} is
   *     false
   */
  private boolean answer(Pending pending, boolean mayWait) {
    if (ended.get()) {
      return true; // cancelled, or refused before: nothing more is answered
    }
    Validated v = pending.validated;
    BroadcastResponse response;
    Duration enqueue = null;
    try {
      if (v instanceof Validated.Accepted a) {
        long start = System.nanoTime();
        response = mayWait ? enqueue(a) : enqueueWithoutWaiting(a);
        if (response == null) {
          return false;
        }
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
    recorder.record(
        v, response.getStatus().name(), Duration.ofNanos(pending.validateNanos), enqueue);
    responses.onNext(response);
    if (response.getStatus() != Status.SUCCESS) {
      refusals.warn(
          remote,
          "[channel: "
              + v.channel()
              + "] refused "
              + v.type()
              + " envelope from "
              + remote
              + " with "
              + response.getStatus()
              + ": "
              + response.getInfo());
      if (ended.compareAndSet(false, true)) {
        responses.onCompleted();
      }
      return true;
    }
    // Asking gRPC for more hands a task to the stream's event loop; while answers are queued
    // behind this one, ask for several at once.
    owed++;
    if (owed >= REQUEST_BATCH || arrivals.isEmpty()) {
      responses.request(owed);
      owed = 0;
    }
    return true;
  }

  /** SUCCESS if the chain took the envelope without waiting, null if it would have had to wait. */
  private static BroadcastResponse enqueueWithoutWaiting(Validated.Accepted a) {
    try {
      return !a.isConfig() && a.support().tryOrder(a.envelope(), a.configSeq()) ? SUCCESS : null;
    } catch (RuntimeException e) {
      return unavailable(e);
    }
  }

  private static BroadcastResponse enqueue(Validated.Accepted a) {
    try {
      a.support().waitReady();
      if (a.isConfig()) {
        a.support().configure(a.envelope(), a.configSeq());
      } else {
        a.support().order(a.envelope(), a.configSeq());
      }
    } catch (RuntimeException e) {
      return unavailable(e);
    }
    return SUCCESS;
  }

  private static BroadcastResponse unavailable(RuntimeException e) {
    return BroadcastResponse.newBuilder()
        .setStatus(Status.SERVICE_UNAVAILABLE)
        .setInfo(String.valueOf(e.getMessage()))
        .build();
  }
}

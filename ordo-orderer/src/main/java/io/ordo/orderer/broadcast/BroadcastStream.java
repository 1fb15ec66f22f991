package io.ordo.orderer.broadcast;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.ordo.orderer.consensus.Chain;
import io.ordo.orderer.rpc.PeerLog;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
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
 * One Broadcast stream. Each envelope is validated on the shared pool as soon as it arrives, then
 * handed to its chain in arrival order, and answered in arrival order once its chain wrote it in a
 * block (SUCCESS) or gave up on it (SERVICE_UNAVAILABLE): a SUCCESS is never answered for an
 * envelope that a leader's crash, a partition or a full disk could still lose. Handing over does
 * not wait for earlier answers, so a stream keeps many envelopes in flight; gRPC inbound flow
 * control keeps at most {@code maxInFlight} of them between read and answer. After a refusal
 * nothing behind it is handed over, and the stream ends once the refusal is answered (Fabric's
 * Broadcast ends at its first non-SUCCESS).
 *
 * <p>One thread at a time hands over and answers: the thread that completes a validation or a
 * block. Handing an envelope to its chain normally takes no waiting; when it would (a leader that
 * paused its intake, a follower forwarding to the leader, a config envelope), a virtual thread
 * takes over until the validated envelopes run out, so a waiting chain holds no pool thread.
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

  /** Handed over or refused, in arrival order, awaiting their answers. Owned by the answerer. */
  private final ArrayDeque<Pending> handed = new ArrayDeque<>();

  /** {@link #handed}'s first, published for the threads that look without the answering. */
  private volatile Pending firstHanded;

  /** A refusal was met: nothing behind it is handed over. Owned by the answerer. */
  private boolean stopHanding;

  /**
   * Set when the node shuts down: nothing more is handed to a chain; the stream ends once what was
   * handed before is answered, and what came after is refused.
   */
  private volatile boolean draining;

  /** An answer pass is queued for written blocks; one at a time per stream. */
  private final AtomicBoolean answerScheduled = new AtomicBoolean();

  /** One envelope between its arrival and its answer. */
  private static final class Pending {
    final long arrived;
    final boolean isEnd;
    volatile Validated validated;
    long validateNanos;

    /** Set when handed over: completes when the envelope is in a block. */
    CompletableFuture<Void> written;

    /** The answer when known without waiting for a block (a refusal, a failed hand-over). */
    BroadcastResponse refusal;

    Duration handOff;

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

  /**
   * The node is shutting down: the stream ends as if the client had closed it, once every envelope
   * handed to a chain before is answered (in a block, or refused); envelopes not handed yet are
   * refused, so that none is ordered without its answer.
   */
  void drain() {
    draining = true;
    onCompleted();
  }

  /** Whether the stream was answered to its end, or cancelled. */
  boolean ended() {
    return ended.get();
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
   * Hands over and answers what is ready unless another thread is at it, and looks again after
   * letting go, so that an envelope validated or written meanwhile is not left behind.
   */
  private void answerReady() {
    answerReady(false);
  }

  /**
   * @param mayWait whether this thread may wait for a chain (a virtual thread), else it hands the
   *     answering to one when a chain would have to wait
   */
  private void answerReady(boolean mayWait) {
    while (answering.compareAndSet(false, true)) {
      if (progress(mayWait)) {
        return; // a virtual thread holds the answering now
      }
      answering.set(false);
      if (!readyToProgress()) {
        return;
      }
    }
  }

  /**
   * Whether a pass would do something, read without holding the answering: an envelope validated,
   * or the first awaiting its answer now answerable.
   */
  private boolean readyToProgress() {
    Pending head = arrivals.peek();
    if (head != null && head.done()) {
      return true;
    }
    Pending first = firstHanded;
    return first != null && (first.isEnd || first.refusal != null || first.written.isDone());
  }

  /** A block was written for one of this stream's envelopes: an answer pass off that thread. */
  private void blockWritten() {
    if (answerScheduled.compareAndSet(false, true)) {
      try {
        sequencer.execute(
            () -> {
              answerScheduled.set(false);
              answerReady(true); // already on a virtual thread: a chain may make it wait
            });
      } catch (RejectedExecutionException e) {
        answerScheduled.set(false); // shutting down: the stream is cancelled with the server
      }
    }
  }

  /** Runs on a virtual thread: hands over, waiting for the chain where it must, then lets go. */
  private void answerWaiting() {
    Pending first = parked;
    parked = null;
    try {
      handOver(first, true);
    } catch (RuntimeException | Error e) {
      fail(e);
    }
    progress(true);
    answering.set(false);
    answerReady(true);
  }

  /**
   * Hands validated envelopes to their chains in arrival order, then sends the answers that are
   * known, in arrival order, while holding {@link #answering}.
   *
   * @param mayWait whether handing an envelope to its chain may wait
   * @return true when it handed the answering to a virtual thread, which now holds {@link
   *     #answering}
   */
  private boolean progress(boolean mayWait) {
    try {
      Pending head;
      while ((head = arrivals.peek()) != null && head.done()) {
        if (ended.get()) {
          arrivals.clear();
          handed.clear();
          return false;
        }
        arrivals.poll();
        if (head.isEnd) {
          handed.add(head);
        } else if (stopHanding) {
          continue; // behind a refusal: the stream ends before it would be answered
        } else if (!mayWait && !handOver(head, false)) {
          parked = head;
          firstHanded = handed.peek(); // the virtual thread owns handed from here on
          try {
            sequencer.execute(this::answerWaiting);
          } catch (RejectedExecutionException e) {
            parked = null;
            fail(new IllegalStateException("broadcast is shutting down", e));
            return false;
          }
          return true;
        } else if (mayWait) {
          handOver(head, true);
        }
      }
      answerKnown();
    } catch (RuntimeException | Error e) {
      // the answering must be let go whatever happened, or the stream would hang
      fail(e);
    }
    firstHanded = handed.peek();
    return false;
  }

  /**
   * Hands one envelope to its chain, or records why it is refused, and queues it for its answer.
   *
   * @return false, having done nothing, when its chain would have to wait and {@code mayWait} is
   *     false
   */
  private boolean handOver(Pending pending, boolean mayWait) {
    Validated v = pending.validated;
    if (draining) {
      pending.refusal =
          BroadcastResponse.newBuilder()
              .setStatus(Status.SERVICE_UNAVAILABLE)
              .setInfo("orderer is shutting down; send to another orderer")
              .build();
    } else if (v instanceof Validated.Accepted a) {
      long start = System.nanoTime();
      CompletableFuture<Void> written;
      try {
        written =
            mayWait
                ? enqueue(a)
                : a.isConfig() ? null : a.support().chain().tryOrder(a.envelope(), a.configSeq());
      } catch (RuntimeException e) {
        written = null;
        pending.refusal = unavailable(e);
      }
      if (written == null && pending.refusal == null) {
        return false;
      }
      pending.handOff = Duration.ofNanos(System.nanoTime() - start);
      if (written != null) {
        pending.written = written;
        written.whenComplete((ok, failure) -> blockWritten());
      }
    } else {
      Validated.Refused r = (Validated.Refused) v;
      pending.refusal =
          BroadcastResponse.newBuilder().setStatus(r.status()).setInfo(r.info()).build();
    }
    if (pending.refusal != null) {
      stopHanding = true;
    }
    handed.add(pending);
    return true;
  }

  /** Sends, in arrival order, every answer that is known; ends the stream where it must. */
  private void answerKnown() {
    Pending first;
    while ((first = handed.peek()) != null) {
      if (ended.get()) {
        handed.clear();
        return;
      }
      if (first.isEnd) {
        handed.poll();
        if (ended.compareAndSet(false, true)) {
          responses.onCompleted();
        }
        return;
      }
      BroadcastResponse response = first.refusal;
      if (response == null) {
        if (!first.written.isDone()) {
          return;
        }
        response = outcome(first.written);
      }
      handed.poll();
      send(first, response);
    }
  }

  private static BroadcastResponse outcome(CompletableFuture<Void> written) {
    try {
      written.join();
      return SUCCESS;
    } catch (java.util.concurrent.CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return BroadcastResponse.newBuilder()
          .setStatus(Status.SERVICE_UNAVAILABLE)
          .setInfo(String.valueOf(cause.getMessage()))
          .build();
    } catch (java.util.concurrent.CancellationException e) {
      return BroadcastResponse.newBuilder()
          .setStatus(Status.SERVICE_UNAVAILABLE)
          .setInfo("cancelled")
          .build();
    }
  }

  private void send(Pending pending, BroadcastResponse response) {
    Validated v = pending.validated;
    recorder.record(
        v, response.getStatus().name(), Duration.ofNanos(pending.validateNanos), pending.handOff);
    responses.onNext(response);
    if (response.getStatus() != Status.SUCCESS) {
      refusals.warn(
          remote,
          v.channel(),
          "refused "
              + v.type()
              + " envelope from "
              + remote
              + " with "
              + response.getStatus()
              + ": "
              + response.getInfo());
      handed.clear();
      arrivals.clear();
      if (ended.compareAndSet(false, true)) {
        responses.onCompleted();
      }
      return;
    }
    // Asking gRPC for more hands a task to the stream's event loop; while answers are queued
    // behind this one, ask for several at once.
    owed++;
    if (owed >= REQUEST_BATCH || handed.isEmpty()) {
      responses.request(owed);
      owed = 0;
    }
  }

  private void fail(Throwable e) {
    LOG.error("broadcast stream from {} failed unexpectedly", remote, e);
    arrivals.clear();
    handed.clear();
    if (ended.compareAndSet(false, true)) {
      responses.onError(
          io.grpc.Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
    }
  }

  /** Waits while the chain's intake is paused, then hands the envelope over. */
  private static CompletableFuture<Void> enqueue(Validated.Accepted a) {
    Chain chain = a.support().chain();
    chain.waitReady();
    return a.isConfig()
        ? chain.configure(a.envelope(), a.configSeq())
        : chain.order(a.envelope(), a.configSeq());
  }

  private static BroadcastResponse unavailable(RuntimeException e) {
    return BroadcastResponse.newBuilder()
        .setStatus(Status.SERVICE_UNAVAILABLE)
        .setInfo(String.valueOf(e.getMessage()))
        .build();
  }
}

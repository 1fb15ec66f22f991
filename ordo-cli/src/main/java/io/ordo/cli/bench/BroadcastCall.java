package io.ordo.cli.bench;

import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * One Broadcast call of a stream: its requests, its window, the sends not answered yet in order (an
 * orderer answers a stream's envelopes in the order received), and its end. Each answer is given to
 * the transaction it belongs to, in the run's progress and in its answer book.
 */
final class BroadcastCall implements ClientResponseObserver<Envelope, BroadcastResponse> {
  final ConcurrentLinkedQueue<Integer> inflight = new ConcurrentLinkedQueue<>();
  final SendWindow window;
  final CompletableFuture<Void> ended = new CompletableFuture<>();

  /** Completes when the call has a stream on a connection: the orderer is there. */
  final CompletableFuture<Void> ready = new CompletableFuture<>();

  /** Completes with the first answer on this call. */
  final CompletableFuture<Void> firstAnswer = new CompletableFuture<>();

  private final BenchProgress progress;
  private final AnswerBook answers;
  private volatile boolean answered;
  private volatile boolean refused;
  private volatile boolean succeeded;
  private volatile long lastHeardNanos = System.nanoTime();
  private ClientCallStreamObserver<Envelope> requests;

  BroadcastCall(int window, BenchProgress progress, AnswerBook answers) {
    this.window = new SendWindow(window, batchOf(window));
    this.progress = progress;
    this.answers = answers;
  }

  /** A quarter of the window: a stream keeps at least three quarters of it in flight. */
  static int batchOf(int window) {
    return Math.max(1, window / 4);
  }

  /** Starts the call on {@code channel}. */
  BroadcastCall start(ManagedChannel channel) {
    AtomicBroadcastGrpc.newStub(channel).broadcast(this);
    return this;
  }

  void send(int index, Envelope envelope) {
    inflight.add(index);
    progress.sent(index, System.nanoTime());
    answers.sent(index);
    requests.onNext(envelope);
  }

  /** The client has no more to send. */
  void finish() {
    requests.onCompleted();
  }

  void cancel(String why, Throwable cause) {
    requests.cancel(why, cause);
  }

  /** Whether any answer came on this call. */
  boolean answered() {
    return answered;
  }

  /** Whether any answer on this call was SUCCESS. */
  boolean succeeded() {
    return succeeded;
  }

  /** Whether the orderer answered a status other than SUCCESS (Fabric then ends the stream). */
  boolean refused() {
    return refused;
  }

  /**
   * When the orderer was last heard from (nanoTime): an answer, or room made for more requests, or
   * the call's start.
   */
  long lastHeardNanos() {
    return lastHeardNanos;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<Envelope> requestStream) {
    this.requests = requestStream;
    requestStream.setOnReadyHandler(
        () -> {
          lastHeardNanos = System.nanoTime();
          ready.complete(null);
        });
  }

  @Override
  public void onNext(BroadcastResponse r) {
    answered = true;
    long now = System.nanoTime();
    lastHeardNanos = now;
    Integer index = inflight.poll();
    if (index == null) {
      return; // an answer to nothing sent: ignore rather than misattribute
    }
    if (r.getStatus() == Status.SUCCESS) {
      succeeded = true;
      progress.acked(index, now);
      answers.success(index);
    } else {
      refused = true;
      progress.refused(index, r.getStatus().name());
      answers.refused(index, r.getStatus(), r.getInfo());
    }
    window.release();
    firstAnswer.complete(null);
  }

  @Override
  public void onError(Throwable t) {
    ended.completeExceptionally(t);
    window.close(); // wake the sender
  }

  @Override
  public void onCompleted() {
    ended.complete(null);
    window.close();
  }
}

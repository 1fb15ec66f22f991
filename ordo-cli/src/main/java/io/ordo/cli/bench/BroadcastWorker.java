package io.ordo.cli.bench;

import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.orderer.GrpcErrors;
import io.ordo.cli.orderer.OrdererEndpoint;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * One pipelined Broadcast stream: sends its share of the transactions without waiting for each
 * answer, at most {@code window} unanswered, and matches the answers to the sends in order (an
 * orderer answers a stream's envelopes in the order received). When the call ends early (a
 * non-SUCCESS answer ends it, as in Fabric; or a gRPC failure) the unanswered envelopes are sent
 * again on a new call; an orderer never reached fails the run.
 */
final class BroadcastWorker implements Runnable {
  /** Calls in a row that fail without any answer before the orderer is declared unreachable. */
  static final int MAX_SILENT_FAILURES = 3;

  private final OrdererEndpoint endpoint;
  private final ManagedChannel channel;
  private final PreparedTransactions txs;
  private final int[] share;
  private final int window;
  private final BenchProgress progress;
  private final Deque<Integer> resend = new ArrayDeque<>();
  private volatile boolean stopped;

  BroadcastWorker(
      OrdererEndpoint endpoint,
      ManagedChannel channel,
      PreparedTransactions txs,
      int[] share,
      int window,
      BenchProgress progress) {
    this.endpoint = endpoint;
    this.channel = channel;
    this.txs = txs;
    this.share = share;
    this.window = window;
    this.progress = progress;
  }

  /** A quarter of the window: a stream keeps at least three quarters of it in flight. */
  static int batchOf(int window) {
    return Math.max(1, window / 4);
  }

  void stop() {
    stopped = true;
  }

  @Override
  public void run() {
    int next = 0;
    int silentFailures = 0;
    while (!stopped && (next < share.length || !resend.isEmpty())) {
      Call call = new Call();
      AtomicBroadcastGrpc.newStub(channel).broadcast(call);
      Throwable failure = null;
      try {
        while (!stopped && !call.ended.isDone() && (next < share.length || !resend.isEmpty())) {
          int room = call.window.take(share.length - next + resend.size(), 100);
          if (call.ended.isDone()) {
            break;
          }
          for (;
              room > 0 && !call.ended.isDone() && (next < share.length || !resend.isEmpty());
              room--) {
            int index = resend.isEmpty() ? share[next++] : resend.poll();
            call.inflight.add(index);
            progress.sent(index, System.nanoTime());
            call.requests.onNext(txs.envelope(index));
          }
          for (; room > 0; room--) {
            call.window.release(); // room not used: back for the next round
          }
        }
        if (!call.ended.isDone()) {
          call.requests.onCompleted();
        }
        call.ended.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        call.requests.cancel("interrupted", e);
        return;
      } catch (java.util.concurrent.ExecutionException e) {
        failure = e.getCause();
        progress.streamError();
      }
      if (failure == null && call.inflight.isEmpty()) {
        silentFailures = 0;
      } else {
        // the call ended with sends unanswered: by a gRPC failure, or by the orderer after a
        // refusal; they are sent again below, unless the orderer never answers anything
        silentFailures = call.answered ? 0 : silentFailures + 1;
        if (silentFailures >= MAX_SILENT_FAILURES) {
          throw new CommandFailedException(
              "orderer "
                  + endpoint
                  + " unreachable for Broadcast: "
                  + (failure == null
                      ? "it ends every stream without an answer"
                      : GrpcErrors.describe(failure)),
              failure);
        }
      }
      // what the call left unanswered goes first on the next one, in the original order
      Integer[] left = call.inflight.toArray(Integer[]::new);
      for (int i = left.length - 1; i >= 0; i--) {
        resend.addFirst(left[i]);
      }
    }
  }

  /** One Broadcast call: its requests, unanswered sends in order, and its end. */
  private final class Call implements ClientResponseObserver<Envelope, BroadcastResponse> {
    final ConcurrentLinkedQueue<Integer> inflight = new ConcurrentLinkedQueue<>();
    final SendWindow window =
        new SendWindow(BroadcastWorker.this.window, batchOf(BroadcastWorker.this.window));
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    volatile boolean answered;
    ClientCallStreamObserver<Envelope> requests;

    @Override
    public void beforeStart(ClientCallStreamObserver<Envelope> requestStream) {
      this.requests = requestStream;
    }

    @Override
    public void onNext(BroadcastResponse r) {
      answered = true;
      Integer index = inflight.poll();
      if (index == null) {
        return; // an answer to nothing sent: ignore rather than misattribute
      }
      if (r.getStatus() == Status.SUCCESS) {
        progress.acked(index, System.nanoTime());
      } else {
        progress.refused(index, r.getStatus().name());
      }
      window.release();
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
}

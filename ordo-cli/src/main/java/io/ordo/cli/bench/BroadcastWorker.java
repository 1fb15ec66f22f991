package io.ordo.cli.bench;

import io.grpc.ManagedChannel;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.client.GrpcErrors;
import io.ordo.cli.client.OrdererEndpoint;
import java.util.ArrayDeque;
import java.util.Deque;

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
  private final AnswerBook answers;
  private final Deque<Integer> resend = new ArrayDeque<>();
  private volatile boolean stopped;

  BroadcastWorker(
      OrdererEndpoint endpoint,
      ManagedChannel channel,
      PreparedTransactions txs,
      int[] share,
      int window,
      BenchProgress progress,
      AnswerBook answers) {
    this.endpoint = endpoint;
    this.channel = channel;
    this.txs = txs;
    this.share = share;
    this.window = window;
    this.progress = progress;
    this.answers = answers;
  }

  void stop() {
    stopped = true;
  }

  @Override
  public void run() {
    int next = 0;
    int silentFailures = 0;
    while (!stopped && (next < share.length || !resend.isEmpty())) {
      BroadcastCall call = new BroadcastCall(window, progress, answers).start(channel);
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
            call.send(index, txs.envelope(index));
          }
          for (; room > 0; room--) {
            call.window.release(); // room not used: back for the next round
          }
        }
        if (!call.ended.isDone()) {
          call.finish();
        }
        call.ended.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        call.cancel("interrupted", e);
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
        silentFailures = call.answered() ? 0 : silentFailures + 1;
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
}

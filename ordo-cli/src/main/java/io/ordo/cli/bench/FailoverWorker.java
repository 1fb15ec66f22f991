package io.ordo.cli.bench;

import io.grpc.ManagedChannel;
import io.ordo.cli.client.GrpcChannels;
import io.ordo.cli.client.OrdererEndpoint;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A pipelined Broadcast stream that runs through orderer failures, as a client that never sends a
 * transaction twice: what a fault matrix measures. When its call breaks (a gRPC failure, the
 * orderer ending it with envelopes unanswered, or no answer for {@link #STALL_TIMEOUT} while some
 * are due) the envelopes in flight stay unanswered, the stream connects to the next orderer in turn
 * (each attempt bounded by {@link #CONNECT_TIMEOUT}, waits between attempts as {@link OrdererRing}
 * says) and goes on with new envelopes. A refusal ends a call as in Fabric; the next call goes to
 * the next orderer too, after a wait that grows with the refusals in a row as between connection
 * attempts. The first envelope of every call is sent alone, the others once it is acknowledged: an
 * orderer that refuses everything for a while (no Raft leader) costs an envelope per call, not a
 * window of envelopes left unanswered behind each refusal.
 */
final class FailoverWorker implements Runnable {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration STALL_TIMEOUT = Duration.ofSeconds(10);
  private static final long POLL_MILLIS = 100;

  /** How a call ended. */
  private enum Ending {
    /** Everything sent on it was answered and the stream closed. */
    DONE,
    /** The orderer refused an envelope and ended the stream. */
    REFUSED,
    BROKEN,
    STOPPED
  }

  private final OrdererRing ring;
  private final int firstTurn;
  private final PreparedTransactions txs;
  private final int[] share;
  private final int window;
  private final BenchProgress progress;
  private final AnswerBook answers;
  private final StreamFaults faults;
  private final CompletableFuture<Void> stop = new CompletableFuture<>();
  private int next;

  /**
   * @param firstTurn the orderer of the ring to start with
   * @param share the indexes of the transactions this stream sends, in order
   */
  FailoverWorker(
      OrdererRing ring,
      int firstTurn,
      PreparedTransactions txs,
      int[] share,
      int window,
      BenchProgress progress,
      AnswerBook answers,
      StreamFaults faults) {
    this.ring = ring;
    this.firstTurn = firstTurn;
    this.txs = txs;
    this.share = share;
    this.window = window;
    this.progress = progress;
    this.answers = answers;
    this.faults = faults;
  }

  /** Ends the stream where it is: what is in flight stays unanswered. */
  void stop() {
    stop.complete(null);
  }

  private boolean stopped() {
    return stop.isDone();
  }

  /** Waits before connection attempt {@code attempt}, unless the run ends first. */
  private void pause(int attempt) throws InterruptedException {
    try {
      stop.get(OrdererRing.retryDelayMillis(attempt), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // waited
    }
  }

  @Override
  public void run() {
    int turn = firstTurn;
    int attempts = 0;
    int refusals = 0;
    boolean broken = false;
    OrdererEndpoint endpoint = null;
    ManagedChannel channel = null;
    try {
      while (!stopped() && next < share.length) {
        if (channel == null) {
          endpoint = ring.at(turn);
          channel = ring.open(endpoint);
        }
        BroadcastCall call = new BroadcastCall(window, progress, answers).start(channel);
        if (!connected(call)) {
          call.cancel("no connection within " + CONNECT_TIMEOUT, null);
          GrpcChannels.close(channel);
          channel = null;
          turn++;
          pause(++attempts);
          continue;
        }
        attempts = 0;
        if (broken) {
          faults.reconnected();
          broken = false;
        }
        Ending ending = send(call);
        refusals = call.succeeded() ? 0 : refusals;
        if (ending == Ending.BROKEN) {
          progress.streamError();
          faults.broadcastBroke(endpoint, System.nanoTime());
          broken = true;
          attempts++;
        } else if (ending == Ending.REFUSED) {
          refusals++;
        }
        if (ending == Ending.BROKEN || ending == Ending.REFUSED) {
          GrpcChannels.close(channel);
          channel = null;
          turn++;
          pause(ending == Ending.BROKEN ? attempts : refusals + 1);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (channel != null) {
        GrpcChannels.close(channel);
      }
    }
  }

  /** Waits until the call has a stream; false when it failed first, or took too long. */
  private boolean connected(BroadcastCall call) throws InterruptedException {
    try {
      CompletableFuture.anyOf(call.ready, call.ended, stop)
          .get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
    return call.ready.isDone() && !call.ended.isDone() && !stopped();
  }

  /**
   * Sends new envelopes on {@code call} until the share is done or the call ends: the first alone,
   * the others once it is acknowledged.
   */
  private Ending send(BroadcastCall call) throws InterruptedException {
    if (next < share.length && !stopped()) {
      int room = call.window.take(1, POLL_MILLIS);
      if (room > 0 && !call.ended.isDone()) {
        int index = share[next++];
        call.send(index, txs.envelope(index));
        room--;
      }
      for (; room > 0; room--) {
        call.window.release();
      }
      Ending first = awaitFirstAnswer(call);
      if (first != null) {
        return first;
      }
      if (call.refused() || call.ended.isDone()) {
        return end(call);
      }
    }
    while (!stopped() && !call.ended.isDone() && next < share.length) {
      int room = call.window.take(share.length - next, POLL_MILLIS);
      if (call.ended.isDone()) {
        break;
      }
      Ending cut = cutIfOver(call);
      if (cut != null) {
        return cut;
      }
      for (; room > 0 && !call.ended.isDone() && next < share.length; room--) {
        int index = share[next++];
        call.send(index, txs.envelope(index));
      }
      for (; room > 0; room--) {
        call.window.release(); // room not used: back for the next round
      }
    }
    return end(call);
  }

  /** Waits for the call's first answer; the ending when the call cannot go on, else null. */
  private Ending awaitFirstAnswer(BroadcastCall call) throws InterruptedException {
    while (!call.firstAnswer.isDone() && !call.ended.isDone()) {
      Ending cut = cutIfOver(call);
      if (cut != null) {
        return cut;
      }
      try {
        CompletableFuture.anyOf(call.firstAnswer, call.ended)
            .get(POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // answered, ended, or see again
      }
    }
    return null;
  }

  /** Closes the call's sending side when the share is done, and waits for its end. */
  private Ending end(BroadcastCall call) throws InterruptedException {
    boolean finished = next == share.length;
    if (finished && !stopped() && !call.ended.isDone()) {
      call.finish();
    }
    while (!call.ended.isDone()) {
      Ending cut = cutIfOver(call);
      if (cut != null) {
        return cut;
      }
      try {
        call.ended.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // ended, or see again
      }
    }
    if (call.ended.isCompletedExceptionally()) {
      return stopped() ? Ending.STOPPED : Ending.BROKEN;
    }
    if (call.refused()) {
      return Ending.REFUSED;
    }
    // the orderer ended the stream with envelopes unanswered, without refusing any
    return finished && call.inflight.isEmpty() ? Ending.DONE : Ending.BROKEN;
  }

  /**
   * Cancels the call when the run ended (STOPPED) or the orderer went silent with envelopes due
   * (BROKEN); null when the call may go on.
   */
  private Ending cutIfOver(BroadcastCall call) {
    if (stopped()) {
      call.cancel("the run ended", null);
      return Ending.STOPPED;
    }
    if (!call.inflight.isEmpty()
        && System.nanoTime() - call.lastHeardNanos() > STALL_TIMEOUT.toNanos()) {
      call.cancel("no answer within " + STALL_TIMEOUT, null);
      return Ending.BROKEN;
    }
    return null;
  }
}

package io.ordo.cli.bench;

import io.grpc.ManagedChannel;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.client.GrpcChannels;
import io.ordo.cli.client.OrdererEndpoint;
import io.ordo.cli.client.OrdererTarget;
import io.ordo.cli.client.SignedEnvelopes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One benchmark run: the Deliver watcher on {@link BenchSettings#deliverFrom()}, then the Broadcast
 * streams spread over the orderers in turn (one connection each), until every transaction is
 * committed or refused, a stream fails for good, or the timeout. A run that goes through failures
 * ({@link BenchSettings#runThroughFailures()}) instead lasts until every stream has sent its share,
 * then waits, within the settle time, for what was acknowledged to be committed.
 */
final class BenchRun {
  /** How long the first orderer may take to send the channel's newest block. */
  static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private static final long SETTLE_POLL_MILLIS = 50;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final OrdererTarget target;
  private final BenchSettings settings;
  private final SignedEnvelopes envelopes;

  /**
   * What a run recorded.
   *
   * @param answers each transaction's Broadcast answer
   * @param faults the stream failures it went through
   * @param gaps the times without a commit seen
   * @param deadlineNanos when the run's {@code --timeout} is over (nanoTime), what is left of it
   *     being for reading the final chains
   */
  record Outcome(
      BenchResult result,
      AnswerBook answers,
      StreamFaults faults,
      CommitGaps gaps,
      long deadlineNanos) {}

  BenchRun(OrdererTarget target, BenchSettings settings, SignedEnvelopes envelopes) {
    this.target = target;
    this.settings = settings;
    this.envelopes = envelopes;
  }

  /**
   * @param ticker called every 200 ms with the progress, for a progress bar
   */
  Outcome run(PreparedTransactions txs, Optional<Consumer<BenchProgress>> ticker)
      throws InterruptedException {
    boolean failover = settings.runThroughFailures();
    OrdererRing ring = new OrdererRing(target.endpoints(), GrpcChannels.tls(target));
    List<ManagedChannel> channels = new ArrayList<>();
    BenchProgress progress = new BenchProgress(txs.size());
    AnswerBook answers = new AnswerBook(txs.size());
    StreamFaults faults = new StreamFaults();
    List<OrdererEndpoint> endpoints = target.endpoints();
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService senders =
        Executors.newFixedThreadPool(
            settings.streams(),
            r -> {
              Thread t = new Thread(r, "ordo-bench-broadcast-" + threadNumber.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    ScheduledExecutorService ticks =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ordo-bench-progress");
              t.setDaemon(true);
              return t;
            });
    List<Runnable> stops = new ArrayList<>();
    OrdererRing watched =
        new OrdererRing(
            OrdererEndpoint.parseAll(settings.deliverOrder()), GrpcChannels.tls(target));
    try (CommitWatcher watcher =
        new CommitWatcher(watched, failover, faults, envelopes, target.channel(), txs, progress)) {
      watcher.start(READY_TIMEOUT);
      long deadline = System.nanoTime() + settings.timeout().toNanos();
      long sendingDeadline = deadline - (failover ? settings.settle().toNanos() : 0);
      CompletableFuture<Void> fatal = watcher.failed();
      List<CompletableFuture<Void>> sends = new ArrayList<>();
      for (int s = 0; s < settings.streams(); s++) {
        int[] share = share(txs.size(), settings.streams(), s);
        Runnable worker;
        if (failover) {
          FailoverWorker w =
              new FailoverWorker(ring, s, txs, share, settings.window(), progress, answers, faults);
          stops.add(w::stop);
          worker = w;
        } else {
          OrdererEndpoint endpoint = endpoints.get(s % endpoints.size());
          ManagedChannel channel = ring.open(endpoint);
          channels.add(channel);
          BroadcastWorker w =
              new BroadcastWorker(
                  endpoint, channel, txs, share, settings.window(), progress, answers);
          stops.add(w::stop);
          worker = w;
        }
        sends.add(CompletableFuture.runAsync(worker, senders));
      }
      ticker.ifPresent(
          t -> ticks.scheduleAtFixedRate(() -> t.accept(progress), 0, 200, TimeUnit.MILLISECONDS));
      CompletableFuture<Void> anySendFailed = new CompletableFuture<>();
      for (CompletableFuture<Void> f : sends) {
        f.whenComplete(
            (ok, e) -> {
              if (e != null) {
                anySendFailed.completeExceptionally(e);
              }
            });
      }
      CompletableFuture<?> done =
          failover
              ? CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
              : progress.settled();
      boolean timedOut = false;
      try {
        CompletableFuture.anyOf(done, fatal, anySendFailed)
            .get(Math.max(0, sendingDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        Throwable cause =
            e.getCause() instanceof java.util.concurrent.CompletionException c
                ? c.getCause()
                : e.getCause();
        if (cause instanceof CommandFailedException failed) {
          throw failed;
        }
        throw new CommandFailedException("bench failed: " + cause, cause);
      } catch (TimeoutException e) {
        timedOut = true;
      }
      stops.forEach(Runnable::run);
      long runEnd = System.nanoTime();
      if (failover) {
        awaitStopped(sends);
        settle(progress, runEnd + settings.settle().toNanos() / 2);
      }
      ticks.shutdownNow();
      ticker.ifPresent(t -> t.accept(progress));
      return new Outcome(
          ResultCalculator.compute(settings, txs, progress, timedOut),
          answers,
          faults,
          CommitGaps.of(progress, faults.firstBreakNanos(), runEnd),
          deadline);
    } finally {
      stops.forEach(Runnable::run);
      ticks.shutdownNow();
      senders.shutdownNow();
      channels.forEach(GrpcChannels::close);
    }
  }

  /**
   * Waits for the stopped streams to end, so that the answers are final before they are audited: a
   * stream ends within a poll of its stop, plus the closing of its connection.
   */
  private static void awaitStopped(List<CompletableFuture<Void>> sends)
      throws InterruptedException {
    try {
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
          .get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // a stream that failed or hangs is left as it is: its sends count as unanswered
    }
  }

  /** Waits until every acknowledged transaction is seen in a block, or {@code until} (nanoTime). */
  private static void settle(BenchProgress progress, long until) throws InterruptedException {
    while (progress.ackedNotCommitted() > 0 && System.nanoTime() < until) {
      TimeUnit.MILLISECONDS.sleep(SETTLE_POLL_MILLIS);
    }
  }

  /** The transactions of stream {@code s} of {@code streams}: every streams-th from s. */
  static int[] share(int total, int streams, int s) {
    int count = total / streams + (s < total % streams ? 1 : 0);
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = s + i * streams;
    }
    return out;
  }
}

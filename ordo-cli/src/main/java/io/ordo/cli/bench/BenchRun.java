package io.ordo.cli.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.orderer.GrpcChannels;
import io.ordo.cli.orderer.OrdererEndpoint;
import io.ordo.cli.orderer.OrdererTarget;
import io.ordo.cli.orderer.SignedEnvelopes;
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
 * One benchmark run: the Deliver watcher on the first orderer, then the Broadcast streams spread
 * over the orderers in turn (one connection each), until every transaction is committed or refused,
 * a stream fails for good, or the timeout.
 */
final class BenchRun {
  /** How long the first orderer may take to send the channel's newest block. */
  static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final OrdererTarget target;
  private final BenchSettings settings;
  private final SignedEnvelopes envelopes;

  BenchRun(OrdererTarget target, BenchSettings settings, SignedEnvelopes envelopes) {
    this.target = target;
    this.settings = settings;
    this.envelopes = envelopes;
  }

  /**
   * @param ticker called every 200 ms with the progress, for a progress bar
   */
  BenchResult run(PreparedTransactions txs, Optional<Consumer<BenchProgress>> ticker)
      throws InterruptedException {
    SslContext tls = GrpcChannels.tls(target);
    List<ManagedChannel> channels = new ArrayList<>();
    BenchProgress progress = new BenchProgress(txs.size());
    AnswerBook answers = new AnswerBook(txs.size());
    List<OrdererEndpoint> endpoints = target.endpoints();
    ManagedChannel deliverChannel = GrpcChannels.openDirect(endpoints.getFirst(), tls);
    channels.add(deliverChannel);
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
    List<BroadcastWorker> workers = new ArrayList<>();
    try (CommitWatcher watcher =
        new CommitWatcher(
            endpoints.getFirst(), deliverChannel, envelopes, target.channel(), txs, progress)) {
      watcher.start(READY_TIMEOUT);
      CompletableFuture<Void> fatal = watcher.failed();
      List<CompletableFuture<Void>> sends = new ArrayList<>();
      for (int s = 0; s < settings.streams(); s++) {
        OrdererEndpoint endpoint = endpoints.get(s % endpoints.size());
        ManagedChannel channel = GrpcChannels.openDirect(endpoint, tls);
        channels.add(channel);
        BroadcastWorker w =
            new BroadcastWorker(
                endpoint,
                channel,
                txs,
                share(txs.size(), settings.streams(), s),
                settings.window(),
                progress,
                answers);
        workers.add(w);
        sends.add(CompletableFuture.runAsync(w, senders));
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
      boolean timedOut = false;
      try {
        CompletableFuture.anyOf(progress.settled(), fatal, anySendFailed)
            .get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
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
      ticks.shutdownNow();
      ticker.ifPresent(t -> t.accept(progress));
      return ResultCalculator.compute(settings, txs, progress, timedOut);
    } finally {
      workers.forEach(BroadcastWorker::stop);
      ticks.shutdownNow();
      senders.shutdownNow();
      channels.forEach(GrpcChannels::close);
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

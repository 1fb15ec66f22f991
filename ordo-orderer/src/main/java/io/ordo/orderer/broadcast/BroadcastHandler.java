package io.ordo.orderer.broadcast;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * Serves Broadcast streams: owns the bounded validation pool shared by all streams and the virtual
 * threads that hand envelopes to chains.
 */
public final class BroadcastHandler implements AutoCloseable {
  private final EnvelopeValidator validator;
  private final BroadcastOptions options;
  private final BroadcastMetrics metrics;
  private final ThreadPoolExecutor validation;
  private final ExecutorService sequencer;

  public BroadcastHandler(
      BroadcastChannels channels, BroadcastOptions options, BroadcastMetrics metrics) {
    this.validator = new EnvelopeValidator(channels);
    this.options = options;
    this.metrics = metrics;
    AtomicInteger n = new AtomicInteger();
    this.validation =
        new ThreadPoolExecutor(
            options.validationThreads(),
            options.validationThreads(),
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(options.validationQueue()),
            r -> {
              Thread t = new Thread(r, "broadcast-validate-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    this.sequencer =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("broadcast-", 0).factory());
  }

  /**
   * Starts one stream; call from the gRPC method handler (it sets up flow control on the call).
   *
   * @param remote the client's address, for logs
   */
  public StreamObserver<Envelope> handle(
      StreamObserver<BroadcastResponse> responses, String remote) {
    return new BroadcastStream(
        (ServerCallStreamObserver<BroadcastResponse>) responses,
        validator,
        validation,
        sequencer,
        metrics,
        remote,
        options.maxInFlightPerStream());
  }

  @Override
  public void close() {
    validation.shutdownNow();
    sequencer.shutdownNow();
  }
}

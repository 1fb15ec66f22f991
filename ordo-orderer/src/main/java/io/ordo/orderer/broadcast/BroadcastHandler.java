package io.ordo.orderer.broadcast;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.ordo.orderer.rpc.Inbound;
import io.ordo.orderer.rpc.PeerLog;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.slf4j.LoggerFactory;

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

  /** Refusals are the client's doing: a line per client host every ten seconds at most. */
  private final PeerLog refusals =
      new PeerLog(LoggerFactory.getLogger(BroadcastStream.class), Duration.ofSeconds(10));

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
  public StreamObserver<Inbound<Envelope>> handle(
      StreamObserver<BroadcastResponse> responses, String remote) {
    BroadcastStream stream =
        new BroadcastStream(
            (ServerCallStreamObserver<BroadcastResponse>) responses,
            validator,
            validation,
            sequencer,
            metrics,
            refusals,
            remote,
            options.maxInFlightPerStream());
    return Inbound.unwrapping(stream, stream::malformed);
  }

  @Override
  public void close() {
    validation.shutdownNow();
    sequencer.shutdownNow();
  }
}

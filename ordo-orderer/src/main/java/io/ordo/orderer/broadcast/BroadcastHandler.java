package io.ordo.orderer.broadcast;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.ordo.orderer.rpc.Inbound;
import io.ordo.orderer.rpc.PeerLog;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
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
 * Serves Broadcast streams: owns the bounded validation pool shared by all streams, the virtual
 * threads that hand envelopes to chains, and the throttling of mutual-TLS clients when {@code
 * General.Throttling.Rate} is set.
 */
public final class BroadcastHandler implements AutoCloseable {
  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(BroadcastHandler.class);

  private final EnvelopeValidator validator;
  private final BroadcastOptions options;
  private final BroadcastMetrics metrics;
  private final ThreadPoolExecutor validation;
  private final ExecutorService sequencer;

  /** The streams open now, to drain them on shutdown; ended ones are pruned as streams come. */
  private final java.util.Set<BroadcastStream> streams =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private volatile boolean draining;

  /** Refusals are the client's doing: a line per client host every ten seconds at most. */
  private final PeerLog refusals =
      new PeerLog(LoggerFactory.getLogger(BroadcastStream.class), Duration.ofSeconds(10));

  /** Null when throttling is off. */
  private final Throttling throttling;

  public BroadcastHandler(
      BroadcastChannels channels, BroadcastOptions options, BroadcastMetrics metrics) {
    this(channels, options, metrics, null);
  }

  /**
   * @param throttling the limits of {@code General.Throttling}, or null when off
   */
  public BroadcastHandler(
      BroadcastChannels channels,
      BroadcastOptions options,
      BroadcastMetrics metrics,
      Throttling throttling) {
    this.throttling = throttling;
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
    return handle(responses, remote, Optional.empty());
  }

  /**
   * Starts one stream of a client that presented {@code clientCertificate} (when TLS asked for
   * one); with throttling on, such a client is throttled.
   */
  public StreamObserver<Inbound<Envelope>> handle(
      StreamObserver<BroadcastResponse> responses,
      String remote,
      Optional<X509Certificate> clientCertificate) {
    if (draining) {
      responses.onError(
          io.grpc.Status.UNAVAILABLE
              .withDescription("orderer is shutting down; send to another orderer")
              .asRuntimeException());
      return Inbound.unwrapping(new Discard(), why -> {});
    }
    streams.removeIf(BroadcastStream::ended);
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
    streams.add(stream);
    if (throttling != null && clientCertificate.isPresent()) {
      Throttling.Keys keys = Throttling.keysOf(clientCertificate.get());
      LOG.debug(
          "throttling {} ({}): client {}, org {}",
          remote,
          clientCertificate.get().getSubjectX500Principal().getName(),
          keys.client(),
          keys.org());
      ThrottledStream throttled = new ThrottledStream(stream, throttling, keys, sequencer);
      return Inbound.unwrapping(throttled, throttled::malformed);
    }
    return Inbound.unwrapping(stream, stream::malformed);
  }

  /**
   * Stops taking envelopes for a shutdown: new streams are refused, and every open stream ends once
   * what it handed to a chain is answered.
   */
  public void drain() {
    draining = true;
    streams.forEach(BroadcastStream::drain);
  }

  /** Waits until every stream drained, up to {@code bound}; whether they all did. */
  public boolean awaitDrained(Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!streams.stream().allMatch(BroadcastStream::ended)) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    return true;
  }

  /** The requests of a stream refused at once. */
  private static final class Discard implements StreamObserver<Envelope> {
    @Override
    public void onNext(Envelope value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }

  @Override
  public void close() {
    if (throttling != null) {
      throttling.close();
    }
    validation.shutdownNow();
    sequencer.shutdownNow();
  }
}

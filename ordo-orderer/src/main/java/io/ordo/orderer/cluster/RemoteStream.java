package io.ordo.orderer.cluster;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLException;
import org.hyperledger.fabric.protos.orderer.ClusterGrpc;
import org.hyperledger.fabric.protos.orderer.StepRequest;
import org.hyperledger.fabric.protos.orderer.StepResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Step stream to one remote node, shared by all channels: a bounded send buffer drained by
 * one virtual thread, each send bounded by the RPC timeout, and a reopened stream after a failure
 * once the backoff delay has passed.
 */
final class RemoteStream implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteStream.class);

  /** One queued request; {@code sent} is null for consensus messages (nobody waits for them). */
  record Outgoing(String channel, long to, StepRequest request, CompletableFuture<Void> sent) {}

  /** A (channel, raft ID) this stream has carried messages for, to report unreachable. */
  private record Destination(String channel, long id) {}

  private final String endpoint;
  private final ManagedChannel grpcChannel;
  private final ClusterGrpc.ClusterStub stub;
  private final ArrayBlockingQueue<Outgoing> queue;
  private final ClientOptions options;
  private final UnreachableListener unreachable;
  private final Set<Destination> destinations = ConcurrentHashMap.newKeySet();
  private final Thread drainer;
  private final CommMetrics metrics;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private ClientCallStreamObserver<StepRequest> stream; // guarded by lock
  private long nextAttemptNanos; // guarded by lock
  private boolean failedBefore; // guarded by lock
  private Duration backoff; // guarded by lock
  private volatile boolean closed;
  private final BooleanSupplier nodeStopping;

  /**
   * @param nodeStopping whether this node is stopping, when a broken stream is no warning
   */
  RemoteStream(
      RemoteNode remote,
      TlsIdentity clientIdentity,
      TrustRoots serverRoots,
      ClientOptions options,
      UnreachableListener unreachable,
      CommMetrics metrics,
      BooleanSupplier nodeStopping) {
    this.metrics = metrics;
    this.nodeStopping = nodeStopping;
    this.endpoint = remote.endpoint();
    this.options = options;
    this.unreachable = unreachable;
    this.queue = new ArrayBlockingQueue<>(options.sendBufferSize());
    this.backoff = options.backoff().baseDelay();
    this.grpcChannel =
        NettyChannelBuilder.forAddress(remote.host(), remote.port())
            .sslContext(clientTls(clientIdentity, serverRoots, remote.serverTlsCert()))
            .withOption(
                ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.dialTimeout().toMillis())
            .maxInboundMessageSize(options.maxRecvMsgSize())
            .keepAliveTime(60, TimeUnit.SECONDS)
            .keepAliveTimeout(20, TimeUnit.SECONDS)
            .keepAliveWithoutCalls(true)
            .build();
    this.stub =
        ClusterGrpc.newStub(grpcChannel).withMaxOutboundMessageSize(options.maxSendMsgSize());
    this.drainer = Thread.ofVirtual().name("cluster-send-" + endpoint).start(this::drain);
  }

  String endpoint() {
    return endpoint;
  }

  /** Queues a consensus message; false (and nothing queued) when the buffer is full. */
  boolean offerConsensus(String channel, long to, StepRequest request) {
    destinations.add(new Destination(channel, to));
    metrics.queued(endpoint, CommMetrics.CONSENSUS, channel, options.sendBufferSize());
    if (!closed && queue.offer(new Outgoing(channel, to, request, null))) {
      return true;
    }
    metrics.dequeued(endpoint, CommMetrics.CONSENSUS, channel);
    metrics.dropped(endpoint, channel);
    return false;
  }

  /**
   * Queues a submit and waits until it is written to the stream, for at most the RPC timeout in
   * all.
   */
  void sendSubmit(String channel, long to, StepRequest request) {
    destinations.add(new Destination(channel, to));
    long deadline = System.nanoTime() + options.rpcTimeout().toNanos();
    CompletableFuture<Void> sent = new CompletableFuture<>();
    metrics.queued(endpoint, CommMetrics.TRANSACTION, channel, options.sendBufferSize());
    try {
      if (closed
          || !queue.offer(
              new Outgoing(channel, to, request, sent),
              options.rpcTimeout().toNanos(),
              TimeUnit.NANOSECONDS)) {
        metrics.dequeued(endpoint, CommMetrics.TRANSACTION, channel);
        throw timedOut(to);
      }
      sent.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      sent.cancel(false);
      throw timedOut(to);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new ClusterSendException(
          "forwarding to " + to + " (" + endpoint + ") failed: " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sent.cancel(false);
      throw new ClusterSendException("interrupted while forwarding to " + to);
    }
  }

  private ClusterSendException timedOut(long to) {
    return new ClusterSendException(
        "timed out (" + options.rpcTimeout().toSeconds() + "s) waiting on forwarding to " + to);
  }

  private void drain() {
    while (!closed) {
      Outgoing o;
      try {
        o = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      dequeued(o);
      if (o.sent() != null && o.sent().isDone()) {
        continue; // its sender gave up waiting
      }
      try {
        long start = System.nanoTime();
        write(o.request());
        metrics.sent(endpoint, o.channel(), System.nanoTime() - start);
        if (o.sent() != null) {
          o.sent().complete(null);
        }
      } catch (ClusterSendException e) {
        if (o.sent() != null) {
          o.sent().completeExceptionally(e);
        } else {
          LOG.debug("dropped consensus message to {} ({}): {}", o.to(), endpoint, e.getMessage());
          unreachable.unreachable(o.channel(), o.to());
        }
      }
    }
  }

  private void dequeued(Outgoing o) {
    metrics.dequeued(
        endpoint, o.sent() == null ? CommMetrics.CONSENSUS : CommMetrics.TRANSACTION, o.channel());
  }

  /** Whether a Step stream to the node is open now. */
  boolean streamOpen() {
    lock.lock();
    try {
      return stream != null;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the TLS connection to the node is established. */
  boolean connected() {
    return grpcChannel.getState(false) == ConnectivityState.READY;
  }

  private void write(StepRequest request) {
    lock.lock();
    try {
      ClientCallStreamObserver<StepRequest> s = openIfNeeded();
      long remaining = options.rpcTimeout().toNanos();
      while (stream == s && !s.isReady()) {
        if (remaining <= 0) {
          s.cancel("rpc timeout expired", null);
          failed(s, "rpc timeout expired", false);
          throw new ClusterSendException("rpc timeout expired sending to " + endpoint);
        }
        try {
          remaining = changed.awaitNanos(remaining);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ClusterSendException("interrupted sending to " + endpoint);
        }
      }
      if (stream != s) {
        throw new ClusterSendException("stream to " + endpoint + " broke");
      }
      s.onNext(request);
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock: the current stream, opening one unless a recent failure is backing off. */
  private ClientCallStreamObserver<StepRequest> openIfNeeded() {
    if (stream != null) {
      return stream;
    }
    if (closed) {
      throw new ClusterSendException("stream to " + endpoint + " is closed");
    }
    if (System.nanoTime() - nextAttemptNanos < 0) {
      throw new ClusterSendException("connection to " + endpoint + " is backing off");
    }
    if (failedBefore) {
      // General.Backoff above is the one reconnection backoff: without this, gRPC's own connect
      // backoff (growing to minutes) would fail the new stream at once while the remote is back
      grpcChannel.resetConnectBackoff();
      if (grpcChannel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
        // the reset takes effect on gRPC's own thread: a stream opened before that fails at once,
        // on the connection as it was, and would cost this stream a whole backoff; the next send
        // opens it on the new connection attempt instead
        throw new ClusterSendException("connecting to " + endpoint);
      }
    }
    StreamObserverImpl observer = new StreamObserverImpl();
    stub.step(observer);
    stream = observer.requests;
    return stream;
  }

  /**
   * The remote is known to be up again (a Step stream from it was accepted): a stream backing off
   * after earlier failures reconnects at once, with gRPC's own connect backoff reset too, and later
   * failures start over from the base delay.
   */
  void retryNow() {
    lock.lock();
    try {
      backoff = options.backoff().baseDelay();
      if (stream == null && System.nanoTime() - nextAttemptNanos < 0) {
        nextAttemptNanos = System.nanoTime();
        LOG.info("{} is up again; reconnecting without waiting out the backoff", endpoint);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    grpcChannel.resetConnectBackoff();
  }

  /**
   * The first line of a failure's message: gRPC's Netty transport appends the channel's handler
   * pipeline on further lines to some of its statuses (a connection closed during the TLS
   * handshake), which would make one warning several log lines naming Netty's handler classes.
   */
  static String firstLine(String message) {
    if (message == null) {
      return "no reason given";
    }
    int end = message.indexOf('\n');
    return (end < 0 ? message : message.substring(0, end)).strip();
  }

  /**
   * Under the lock or not: forgets a broken stream and schedules the next attempt.
   *
   * @param processGone whether the break says the remote process is gone (reset, refused, closed)
   *     rather than the network silent
   */
  private void failed(ClientCallStreamObserver<StepRequest> s, String why, boolean processGone) {
    lock.lock();
    try {
      if (stream != s) {
        return;
      }
      stream = null;
      nextAttemptNanos = System.nanoTime() + backoff.toNanos();
      failedBefore = true;
      if (nodeStopping.getAsBoolean()) {
        LOG.debug("stream to {} ended while this node stops ({})", endpoint, why);
      } else {
        LOG.warn("stream to {} failed ({}); next attempt in {}", endpoint, why, backoff);
      }
      long grown = (long) (backoff.toNanos() * options.backoff().multiplier());
      backoff = Duration.ofNanos(Math.min(grown, options.backoff().maxDelay().toNanos()));
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (!closed) {
      for (Destination d : destinations) {
        unreachable.unreachable(d.channel(), d.id());
        if (processGone) {
          unreachable.processGone(d.channel(), d.id());
        }
      }
    }
  }

  /**
   * Whether a stream error means the remote process is gone: the transport failed (reset, refused,
   * an I/O error), which a silent network does not produce until keepalives give up, and which a
   * live server refusing a request (UNKNOWN, PERMISSION_DENIED...) does not either.
   */
  static boolean processGone(Throwable t) {
    io.grpc.Status status = io.grpc.Status.fromThrowable(t);
    if (status.getCode() != io.grpc.Status.Code.UNAVAILABLE) {
      return false;
    }
    String description = String.valueOf(status.getDescription()).toLowerCase(java.util.Locale.ROOT);
    return !description.contains("keepalive");
  }

  private final class StreamObserverImpl
      implements ClientResponseObserver<StepRequest, StepResponse> {
    private ClientCallStreamObserver<StepRequest> requests;

    @Override
    public void beforeStart(ClientCallStreamObserver<StepRequest> requestStream) {
      this.requests = requestStream;
      requestStream.setOnReadyHandler(
          () -> {
            lock.lock();
            try {
              backoff = options.backoff().baseDelay(); // connected: failures start over
              changed.signalAll();
            } finally {
              lock.unlock();
            }
          });
    }

    @Override
    public void onNext(StepResponse value) {
      // etcdraft never answers on the cluster stream
    }

    @Override
    public void onError(Throwable t) {
      failed(requests, firstLine(t.getMessage()), processGone(t));
    }

    @Override
    public void onCompleted() {
      failed(requests, "closed by the remote node", true);
    }
  }

  private static SslContext clientTls(
      TlsIdentity identity, TrustRoots roots, X509Certificate expectedServer) {
    try {
      SslContextBuilder b =
          SslContextBuilder.forClient()
              .keyManager(identity.privateKey(), identity.chain().toArray(new X509Certificate[0]))
              .trustManager(new PkixTrustManager(roots, Optional.of(expectedServer)))
              // the server must present the consenter's pinned key, which names it more
              // precisely than a host name could
              .endpointIdentificationAlgorithm(null)
              .protocols("TLSv1.3", "TLSv1.2");
      List<X509Certificate> involved = new ArrayList<>(identity.chain());
      involved.addAll(roots.current());
      involved.add(expectedServer);
      return TlsEngines.build(b, involved);
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the cluster client TLS context", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    drainer.interrupt();
    lock.lock();
    try {
      if (stream != null) {
        stream.onCompleted();
        stream = null;
      }
    } finally {
      lock.unlock();
    }
    grpcChannel.shutdownNow();
    Outgoing o;
    while ((o = queue.poll()) != null) {
      dequeued(o);
      if (o.sent() != null) {
        o.sent()
            .completeExceptionally(new ClusterSendException("stream to " + endpoint + " closed"));
      }
    }
  }
}

package io.ordo.orderer.replication;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;

/**
 * One Deliver stream to one orderer: a single seek request, then the blocks it answers through a
 * buffer bounded in bytes. The stream asks gRPC for one response at a time and stops asking while
 * the buffer is full, so a fast server cannot flood a slow writer.
 */
final class DeliverSession implements AutoCloseable {
  /** Something the stream produced. */
  private sealed interface Event permits Received, Ended {}

  private record Received(Block block, int size) implements Event {}

  /** The stream's end: a final status, an error, or neither (completed without status). */
  private record Ended(Status status, Throwable error) implements Event {}

  /** The endpoint failed this session; the message says how. */
  static final class SourceFailure extends Exception {
    private final Status status;

    SourceFailure(String message, Throwable cause) {
      this(message, cause, null);
    }

    SourceFailure(String message, Throwable cause, Status status) {
      super(message, cause);
      this.status = status;
    }

    /** The non-SUCCESS status the endpoint answered, if it answered one. */
    Status status() {
      return status;
    }
  }

  private static final long TRAILERS_WAIT_MILLIS = 1000;

  private final String endpoint;
  private final ManagedChannel grpc;
  private final long bufferBytes;
  private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Object flow = new Object();
  private final AtomicReference<Metadata> trailers = new AtomicReference<>();
  private ClientCallStreamObserver<Envelope> requests; // guarded by flow
  private long buffered; // guarded by flow
  private boolean paused; // guarded by flow
  private boolean ended;

  private DeliverSession(String endpoint, ManagedChannel grpc, long bufferBytes) {
    this.endpoint = endpoint;
    this.grpc = grpc;
    this.bufferBytes = bufferBytes;
  }

  /** Dials {@code endpoint} ("host:port") and sends {@code seek}. */
  static DeliverSession open(
      String endpoint, SslContext tls, PullerSettings settings, Envelope seek) {
    int colon = endpoint.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("orderer endpoint '" + endpoint + "' is not host:port");
    }
    ManagedChannel grpc =
        NettyChannelBuilder.forAddress(
                endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)))
            .sslContext(tls)
            .withOption(
                ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.dialTimeout().toMillis())
            .maxInboundMessageSize(settings.maxRecvMsgSize())
            .build();
    DeliverSession session = new DeliverSession(endpoint, grpc, settings.bufferBytes());
    AtomicBroadcastGrpc.newStub(grpc)
        .withInterceptors(
            MetadataUtils.newCaptureMetadataInterceptor(new AtomicReference<>(), session.trailers))
        .deliver(session.new Responses())
        .onNext(seek);
    return session;
  }

  String endpoint() {
    return endpoint;
  }

  /**
   * The next block, or null once the server ended the range with SUCCESS.
   *
   * @throws SourceFailure no block within {@code timeout}, a non-SUCCESS status, or a broken stream
   */
  Block next(Duration timeout) throws SourceFailure, InterruptedException {
    if (ended) {
      return null;
    }
    Event e = events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (e == null) {
      throw new SourceFailure("no block from " + endpoint + " within " + timeout, null);
    }
    return switch (e) {
      case Received r -> {
        consumed(r.size());
        yield r.block();
      }
      case Ended end -> {
        ended = true;
        if (end.error() != null) {
          throw new SourceFailure(
              "Deliver stream to " + endpoint + " failed: " + end.error().getMessage(),
              end.error());
        }
        if (end.status() != Status.SUCCESS) {
          if (end.status() != null) {
            // the trailers come with the stream's end, just after the status
            events.poll(TRAILERS_WAIT_MILLIS, TimeUnit.MILLISECONDS);
          }
          throw new SourceFailure(
              endpoint
                  + " answered "
                  + (end.status() == null ? "no status" : end.status().name())
                  + firstHeld()
                      .map(f -> " (it holds the channel's blocks from [" + f + "] on)")
                      .orElse(""),
              null,
              end.status());
        }
        yield null;
      }
    };
  }

  /**
   * The first block the endpoint holds, when it ended the stream saying so (an Ordo orderer that
   * prunes its ledger or onboarded from a later config block answers NOT_FOUND with it).
   */
  Optional<Long> firstHeld() {
    Metadata m = trailers.get();
    String first = m == null ? null : m.get(FIRST_BLOCK);
    try {
      return first == null ? Optional.empty() : Optional.of(Long.parseLong(first));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The trailer an Ordo orderer names its first block in; see the deliver package. */
  private static final Metadata.Key<String> FIRST_BLOCK =
      Metadata.Key.of("ordo-first-block", Metadata.ASCII_STRING_MARSHALLER);

  /** The next block if one is already buffered, else null (never waits, never fails). */
  Block poll() {
    if (ended || !(events.peek() instanceof Received)) {
      return null;
    }
    Received r = (Received) events.poll();
    consumed(r.size());
    return r.block();
  }

  private void consumed(int size) {
    synchronized (flow) {
      buffered -= size;
      if (paused && buffered < bufferBytes) {
        paused = false;
        requests.request(1);
      }
    }
  }

  @Override
  public void close() {
    synchronized (flow) {
      if (requests != null) {
        requests.cancel("block puller done", null);
      }
    }
    grpc.shutdownNow();
  }

  private final class Responses implements ClientResponseObserver<Envelope, DeliverResponse> {
    @Override
    public void beforeStart(ClientCallStreamObserver<Envelope> stream) {
      synchronized (flow) {
        requests = stream;
      }
      stream.disableAutoRequestWithInitial(1);
    }

    @Override
    public void onNext(DeliverResponse r) {
      if (!r.hasBlock()) {
        events.add(new Ended(r.getStatus(), null));
        return;
      }
      int size = r.getBlock().getSerializedSize();
      events.add(new Received(r.getBlock(), size));
      synchronized (flow) {
        buffered += size;
        if (buffered < bufferBytes) {
          requests.request(1);
        } else {
          paused = true;
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      events.add(new Ended(null, t));
    }

    @Override
    public void onCompleted() {
      events.add(new Ended(null, null));
    }
  }
}

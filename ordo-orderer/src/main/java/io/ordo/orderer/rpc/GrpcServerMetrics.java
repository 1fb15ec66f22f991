package io.ordo.orderer.rpc;

import io.grpc.Attributes;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerTransportFilter;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordo.orderer.ops.FabricBuckets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fabric's metrics of its gRPC listeners (grpcmetrics and comm's server stats handler), for the
 * general and the cluster listener alike: {@code grpc_server_{unary,stream}_requests_received}
 * ({@code service}, {@code method}), {@code _requests_completed} and {@code _request_duration}
 * (plus {@code code}), {@code grpc_server_stream_messages_received} and {@code _sent}, and {@code
 * grpc_comm_conn_opened} / {@code _closed} (connections whose TLS handshake and HTTP/2 start
 * completed, and their ends). Labels as Fabric writes them: the service with its dots made
 * underscores ({@code orderer_AtomicBroadcast}), the status code as Go names it ({@code OK}, {@code
 * Canceled}, {@code Unavailable}); a call the client cancels completes with {@code Canceled}.
 */
public final class GrpcServerMetrics implements ServerInterceptor {
  private static final Attributes.Key<Boolean> COUNTED = Attributes.Key.create("ordo.counted");

  private final MeterRegistry registry;
  private final Counter connectionsOpened;
  private final Counter connectionsClosed;
  private final Map<String, MethodMeters> methods = new ConcurrentHashMap<>();

  public GrpcServerMetrics(MeterRegistry registry) {
    this.registry = registry;
    connectionsOpened =
        Counter.builder("grpc_comm_conn_opened")
            .description(
                "gRPC connections opened. Open minus closed is the active number of connections.")
            .register(registry);
    connectionsClosed =
        Counter.builder("grpc_comm_conn_closed")
            .description(
                "gRPC connections closed. Open minus closed is the active number of connections.")
            .register(registry);
  }

  /** Meters nobody reads (unit tests). */
  public static GrpcServerMetrics discarding() {
    return new GrpcServerMetrics(new SimpleMeterRegistry());
  }

  /** {@code builder} with these metrics' interceptor and connection counting. */
  public <T extends ServerBuilder<T>> T instrument(T builder) {
    return builder
        .intercept(this)
        .addTransportFilter(
            new ServerTransportFilter() {
              @Override
              public Attributes transportReady(Attributes attributes) {
                connectionsOpened.increment();
                return attributes.toBuilder().set(COUNTED, true).build();
              }

              @Override
              public void transportTerminated(Attributes attributes) {
                if (attributes != null && Boolean.TRUE.equals(attributes.get(COUNTED))) {
                  connectionsClosed.increment();
                }
              }
            });
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    MethodDescriptor<Q, A> descriptor = call.getMethodDescriptor();
    MethodMeters meters =
        methods.computeIfAbsent(descriptor.getFullMethodName(), n -> methodMeters(descriptor));
    meters.received().increment();
    long started = System.nanoTime();
    AtomicBoolean completed = new AtomicBoolean();
    ServerCall<Q, A> counted =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void sendMessage(A message) {
            if (meters.streaming()) {
              meters.sent().increment();
            }
            super.sendMessage(message);
          }

          @Override
          public void close(Status status, Metadata trailers) {
            if (completed.compareAndSet(false, true)) {
              complete(meters, status.getCode(), started);
            }
            super.close(status, trailers);
          }
        };
    return new SimpleForwardingServerCallListener<>(next.startCall(counted, headers)) {
      @Override
      public void onMessage(Q message) {
        if (meters.streaming()) {
          meters.receivedMessages().increment();
        }
        super.onMessage(message);
      }

      @Override
      public void onCancel() {
        if (completed.compareAndSet(false, true)) {
          complete(meters, Status.Code.CANCELLED, started);
        }
        super.onCancel();
      }
    };
  }

  private void complete(MethodMeters meters, Status.Code code, long started) {
    meters.completed(registry, code).record(System.nanoTime() - started);
  }

  /** The meters of one method; those labelled with a status code are made on first use. */
  private record MethodMeters(
      String kind,
      String service,
      String method,
      boolean streaming,
      Counter received,
      Counter receivedMessages,
      Counter sent,
      Map<Status.Code, Completion> completions) {

    Completion completed(MeterRegistry registry, Status.Code code) {
      return completions.computeIfAbsent(
          code,
          c -> {
            String name = "grpc_server_" + kind + "_request";
            String goCode = goName(c);
            return new Completion(
                Counter.builder(name + "s_completed")
                    .description("The number of " + kind + " requests completed.")
                    .tags("service", service, "method", method, "code", goCode)
                    .register(registry),
                Timer.builder(name + "_duration")
                    .description("The time to complete a " + kind + " request.")
                    .tags("service", service, "method", method, "code", goCode)
                    .serviceLevelObjectives(FabricBuckets.DEFAULT.durations())
                    .register(registry));
          });
    }
  }

  private record Completion(Counter count, Timer duration) {
    void record(long nanos) {
      count.increment();
      duration.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  private MethodMeters methodMeters(MethodDescriptor<?, ?> descriptor) {
    boolean streaming = descriptor.getType() != MethodDescriptor.MethodType.UNARY;
    String kind = streaming ? "stream" : "unary";
    String service = String.valueOf(descriptor.getServiceName()).replace('.', '_');
    String method = String.valueOf(descriptor.getBareMethodName());
    Counter received =
        Counter.builder("grpc_server_" + kind + "_requests_received")
            .description("The number of " + kind + " requests received.")
            .tags("service", service, "method", method)
            .register(registry);
    Counter messagesIn = null;
    Counter messagesOut = null;
    if (streaming) {
      messagesIn =
          Counter.builder("grpc_server_stream_messages_received")
              .description("The number of stream messages received.")
              .tags("service", service, "method", method)
              .register(registry);
      messagesOut =
          Counter.builder("grpc_server_stream_messages_sent")
              .description("The number of stream messages sent.")
              .tags("service", service, "method", method)
              .register(registry);
    }
    return new MethodMeters(
        kind,
        service,
        method,
        streaming,
        received,
        messagesIn,
        messagesOut,
        new ConcurrentHashMap<>());
  }

  /**
   * Go's name of a status code ({@code codes.Code.String()}): {@code DEADLINE_EXCEEDED} is {@code
   * DeadlineExceeded}.
   */
  static String goName(Status.Code code) {
    if (code == Status.Code.CANCELLED) {
      return "Canceled";
    }
    if (code == Status.Code.OK) {
      return "OK";
    }
    StringBuilder b = new StringBuilder();
    for (String word : code.name().split("_")) {
      b.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return b.toString();
  }
}

package io.ordo.orderer.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fabric's grpc_server_* and grpc_comm_* series, counted by a real listener on loopback. */
class GrpcServerMetricsTest {
  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };
  private static final MethodDescriptor<byte[], byte[]> ECHO =
      method(MethodDescriptor.MethodType.BIDI_STREAMING, "Echo");
  private static final MethodDescriptor<byte[], byte[]> REFUSE =
      method(MethodDescriptor.MethodType.UNARY, "Refuse");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final GrpcServerMetrics metrics = new GrpcServerMetrics(registry);
  private final Server server;
  private final ManagedChannel channel;

  GrpcServerMetricsTest() throws IOException {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder("orderer.Test")
            .addMethod(ECHO, ServerCalls.asyncBidiStreamingCall(GrpcServerMetricsTest::echo))
            .addMethod(
                REFUSE,
                ServerCalls.asyncUnaryCall(
                    (request, answer) ->
                        answer.onError(Status.UNAVAILABLE.withDescription("no").asException())))
            .build();
    server =
        metrics
            .instrument(
                NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(service))
            .build()
            .start();
    int port = ((InetSocketAddress) server.getListenSockets().getFirst()).getPort();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  @AfterEach
  void close() throws InterruptedException {
    channel.shutdownNow();
    server.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void aStreamCountsItsMessagesAndCompletesWithGosCodeName() {
    StreamObserver<byte[]> requests =
        ClientCalls.asyncBidiStreamingCall(
            channel.newCall(ECHO, CallOptions.DEFAULT), new Ignoring());
    requests.onNext(new byte[] {1});
    requests.onNext(new byte[] {2});
    requests.onNext(new byte[] {3});
    requests.onCompleted();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(count("grpc_server_stream_requests_completed", "code", "OK"))
                    .isEqualTo(1));
    assertThat(count("grpc_server_stream_requests_received")).isEqualTo(1);
    assertThat(count("grpc_server_stream_messages_received")).isEqualTo(3);
    assertThat(count("grpc_server_stream_messages_sent")).isEqualTo(3);
    assertThat(
            registry
                .get("grpc_server_stream_request_duration")
                .tags("service", "orderer_Test", "method", "Echo", "code", "OK")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(count("grpc_comm_conn_opened")).isEqualTo(1);
  }

  @Test
  void aStreamTheClientCancelsCompletesCanceled() {
    var call = channel.newCall(ECHO, CallOptions.DEFAULT);
    StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(call, new Ignoring());
    requests.onNext(new byte[] {1});
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> count("grpc_server_stream_messages_sent") == 1);
    call.cancel("test", null);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(count("grpc_server_stream_requests_completed", "code", "Canceled"))
                    .isEqualTo(1));
  }

  @Test
  void aUnaryCallCountsUnderUnaryNamesWithItsStatus() {
    try {
      ClientCalls.blockingUnaryCall(channel, REFUSE, CallOptions.DEFAULT, new byte[] {1});
    } catch (StatusRuntimeException expected) {
      assertThat(expected.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(count("grpc_server_unary_requests_completed", "code", "Unavailable"))
                    .isEqualTo(1));
    assertThat(count("grpc_server_unary_requests_received")).isEqualTo(1);
    assertThat(registry.find("grpc_server_stream_messages_received").counters()).isEmpty();
  }

  @Test
  void statusCodesAreNamedAsGoNamesThem() {
    assertThat(GrpcServerMetrics.goName(Status.Code.OK)).isEqualTo("OK");
    assertThat(GrpcServerMetrics.goName(Status.Code.CANCELLED)).isEqualTo("Canceled");
    assertThat(GrpcServerMetrics.goName(Status.Code.DEADLINE_EXCEEDED))
        .isEqualTo("DeadlineExceeded");
    assertThat(GrpcServerMetrics.goName(Status.Code.UNKNOWN)).isEqualTo("Unknown");
    assertThat(GrpcServerMetrics.goName(Status.Code.RESOURCE_EXHAUSTED))
        .isEqualTo("ResourceExhausted");
  }

  private double count(String name, String... tags) {
    return registry.find(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private static StreamObserver<byte[]> echo(StreamObserver<byte[]> answers) {
    return new StreamObserver<>() {
      @Override
      public void onNext(byte[] value) {
        answers.onNext(value);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        answers.onCompleted();
      }
    };
  }

  private static MethodDescriptor<byte[], byte[]> method(
      MethodDescriptor.MethodType type, String name) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName("orderer.Test", name))
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
  }

  /** A client that ignores what the server answers. */
  private static final class Ignoring implements StreamObserver<byte[]> {
    @Override
    public void onNext(byte[] value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}

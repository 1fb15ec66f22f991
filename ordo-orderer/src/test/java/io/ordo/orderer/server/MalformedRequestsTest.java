package io.ordo.orderer.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.ClusterGrpc;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Bytes that are not the protobuf a service expects are answered (Broadcast and Deliver with
 * BAD_REQUEST, as Fabric answers a bad request; Step by ending the stream), never logged with a
 * stack trace, and logged at most once per peer and interval: the client port needs no client
 * certificate, so anyone could otherwise fill the node's disk with log lines.
 */
class MalformedRequestsTest {
  /** Each fails to parse: a truncated varint, a length beyond the end, wire type 7. */
  private static final List<byte[]> MALFORMED =
      List.of(
          new byte[] {0x08},
          new byte[] {(byte) 0xff},
          new byte[] {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0x01},
          new byte[] {0x0f, 0x01, 0x02});

  private static final int ROUNDS = 150;

  @TempDir Path dir;
  private TestNetwork network;
  private final List<LogRecord> julRecords = new CopyOnWriteArrayList<>();
  private final Handler julHandler =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          julRecords.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();

  @AfterEach
  void stop() {
    java.util.logging.Logger.getLogger("").removeHandler(julHandler);
    root().detachAppender(events);
    network.close();
  }

  @Test
  void garbageIsAnsweredAndLoggedAtMostOncePerPeerAndInterval() throws Exception {
    network = new TestNetwork(dir, 1, Duration.ofMillis(100), Duration.ofMillis(100), 5);
    network.start(1);
    assertThat(network.join(1).statusCode()).isEqualTo(201);
    java.util.logging.Logger.getLogger("").addHandler(julHandler);
    events.start();
    root().addAppender(events);

    OrdererServer node = network.servers.get(1);
    ManagedChannel client = network.channelTo(node.port(), null, null);
    Path tls = network.ordererTls(1);
    ManagedChannel cluster =
        network.channelTo(node.clusterPort(), tls.resolve("server.crt"), tls.resolve("server.key"));
    try {
      for (int i = 0; i < ROUNDS; i++) {
        byte[] garbage = MALFORMED.get(i % MALFORMED.size());
        List<BroadcastResponse> broadcast =
            exchange(client, raw(AtomicBroadcastGrpc.getBroadcastMethod()), garbage);
        assertThat(broadcast)
            .singleElement()
            .satisfies(
                r -> {
                  assertThat(r.getStatus().name()).isEqualTo("BAD_REQUEST");
                  assertThat(r.getInfo()).startsWith("malformed envelope: ");
                });
        List<DeliverResponse> deliver =
            exchange(client, raw(AtomicBroadcastGrpc.getDeliverMethod()), garbage);
        assertThat(deliver)
            .singleElement()
            .satisfies(r -> assertThat(r.getStatus().name()).isEqualTo("BAD_REQUEST"));
        StatusRuntimeException step =
            exchangeFailing(cluster, raw(ClusterGrpc.getStepMethod()), garbage);
        assertThat(step.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(step.getStatus().getDescription()).startsWith("malformed StepRequest");
      }
    } finally {
      client.shutdownNow();
      cluster.shutdownNow();
    }

    assertThat(julRecords)
        .as("gRPC's own logs")
        .noneMatch(r -> r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue());
    List<ILoggingEvent> logged = new ArrayList<>(events.list);
    assertThat(logged)
        .as("no error and no stack trace for a client's bad input")
        .noneMatch(
            e -> e.getLevel().isGreaterOrEqual(Level.ERROR) || e.getThrowableProxy() != null);
    long warnings = logged.stream().filter(e -> e.getLevel() == Level.WARN).count();
    assertThat(warnings)
        .as("warnings for %d bad requests from one host", 3 * ROUNDS)
        .isLessThanOrEqualTo(6);
  }

  /**
   * A message over MaxRecvMsgSize (Fabric's default, 100 MiB, in this network) is refused by the
   * transport with RESOURCE_EXHAUSTED on the client and the cluster port, and logged by no one:
   * grpc-java's own WARNING with a stack trace for it is kept quiet.
   */
  @Test
  void aMessageOverTheSizeLimitIsRefusedWithoutAStackTraceInTheLog() throws Exception {
    network = new TestNetwork(dir, 1, Duration.ofMillis(100), Duration.ofMillis(100), 5);
    network.start(1);
    java.util.logging.Logger.getLogger("").addHandler(julHandler);
    OrdererServer node = network.servers.get(1);
    ManagedChannel client = network.channelTo(node.port(), null, null);
    Path tls = network.ordererTls(1);
    ManagedChannel cluster =
        network.channelTo(node.clusterPort(), tls.resolve("server.crt"), tls.resolve("server.key"));
    try {
      for (ManagedChannel ch : List.of(client, cluster)) {
        MethodDescriptor<Long, ?> method =
            ch == client
                ? oversized(AtomicBroadcastGrpc.getBroadcastMethod())
                : oversized(ClusterGrpc.getStepMethod());
        Collector<Object> answers = new Collector<>();
        @SuppressWarnings("unchecked")
        StreamObserver<Long> requests =
            ClientCalls.asyncBidiStreamingCall(
                (io.grpc.ClientCall<Long, Object>) ch.newCall(method, CallOptions.DEFAULT),
                answers);
        requests.onNext(101L * 1024 * 1024);
        requests.onCompleted();
        try {
          answers.done.get(30, TimeUnit.SECONDS);
          throw new AssertionError("a message over the limit was taken");
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(Status.fromThrowable(e.getCause()).getCode())
              .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        }
      }
    } finally {
      client.shutdownNow();
      cluster.shutdownNow();
    }
    assertThat(julRecords)
        .as("gRPC's own logs")
        .noneMatch(r -> r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue());
  }

  /**
   * {@code method} whose request is a count of zero bytes, streamed without being held in memory:
   * the transport refuses it from its length prefix.
   */
  @SuppressWarnings("unchecked")
  private static MethodDescriptor<Long, ?> oversized(MethodDescriptor<?, ?> method) {
    return ((MethodDescriptor<Object, Object>) method)
        .toBuilder(
                new ZeroBytes(),
                (MethodDescriptor.Marshaller<Object>) method.getResponseMarshaller())
            .build();
  }

  /** Marshals a length as that many zero bytes, with the length known up front (gRPC's prefix). */
  private static final class ZeroBytes implements MethodDescriptor.Marshaller<Long> {
    @Override
    public InputStream stream(Long length) {
      return new Zeros(length);
    }

    @Override
    public Long parse(InputStream stream) {
      throw new UnsupportedOperationException("requests only");
    }
  }

  private static final class Zeros extends InputStream implements io.grpc.KnownLength {
    private long left;

    Zeros(long length) {
      this.left = length;
    }

    @Override
    public int available() {
      return (int) Math.min(Integer.MAX_VALUE, left);
    }

    @Override
    public int read() {
      if (left == 0) {
        return -1;
      }
      left--;
      return 0;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left == 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      java.util.Arrays.fill(b, off, off + n, (byte) 0);
      left -= n;
      return n;
    }
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  /** {@code method} sending raw bytes as its request. */
  private static <R> MethodDescriptor<byte[], R> raw(MethodDescriptor<?, R> method) {
    return method.toBuilder(new Bytes(), method.getResponseMarshaller()).build();
  }

  /** Sends one request and half-closes; the responses until the stream ended successfully. */
  private static <R> List<R> exchange(
      ManagedChannel channel, MethodDescriptor<byte[], R> method, byte[] request) throws Exception {
    Collector<R> answers = new Collector<>();
    StreamObserver<byte[]> requests =
        ClientCalls.asyncBidiStreamingCall(channel.newCall(method, CallOptions.DEFAULT), answers);
    requests.onNext(request);
    requests.onCompleted();
    answers.done.get(20, TimeUnit.SECONDS);
    return answers.received;
  }

  private static <R> StatusRuntimeException exchangeFailing(
      ManagedChannel channel, MethodDescriptor<byte[], R> method, byte[] request) {
    Collector<R> answers = new Collector<>();
    StreamObserver<byte[]> requests =
        ClientCalls.asyncBidiStreamingCall(channel.newCall(method, CallOptions.DEFAULT), answers);
    requests.onNext(request);
    try {
      answers.done.get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return (StatusRuntimeException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError("the stream did not end", e);
    } finally {
      requests.onCompleted();
    }
    throw new AssertionError("the stream ended without an error");
  }

  private static final class Collector<R> implements StreamObserver<R> {
    final List<R> received = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();

    @Override
    public void onNext(R value) {
      received.add(value);
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      done.complete(null);
    }
  }

  private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (java.io.IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}

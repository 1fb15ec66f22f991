package io.ordo.orderer.it;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Streaming gRPC calls whose request is raw bytes, whatever they are: for malformed input. */
final class RawGrpc {
  private RawGrpc() {}

  /** What a call came to: the responses, then the stream's end (OK when it completed). */
  record Answer<R>(List<R> responses, Status status) {
    Status.Code code() {
      return status.getCode();
    }
  }

  /** {@code method} sending raw bytes as its request. */
  static <R> MethodDescriptor<byte[], R> raw(MethodDescriptor<?, R> method) {
    return method.toBuilder(new Bytes(), method.getResponseMarshaller()).build();
  }

  /**
   * Sends one request, half-closes and waits for the stream's end; a stream that does not end
   * within {@code timeout} is cancelled and answered DEADLINE_EXCEEDED.
   */
  static <R> Answer<R> exchange(
      Channel channel, MethodDescriptor<byte[], R> method, byte[] request, Duration timeout) {
    List<R> received = new CopyOnWriteArrayList<>();
    CompletableFuture<Status> done = new CompletableFuture<>();
    ClientCall<byte[], R> call = channel.newCall(method, CallOptions.DEFAULT);
    StreamObserver<byte[]> requests =
        ClientCalls.asyncBidiStreamingCall(
            call,
            new StreamObserver<R>() {
              @Override
              public void onNext(R value) {
                received.add(value);
              }

              @Override
              public void onError(Throwable t) {
                done.complete(Status.fromThrowable(t));
              }

              @Override
              public void onCompleted() {
                done.complete(Status.OK);
              }
            });
    try {
      requests.onNext(request);
      requests.onCompleted();
    } catch (RuntimeException e) {
      done.complete(Status.fromThrowable(e));
    }
    try {
      Status status = done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Answer<>(List.copyOf(received), status); // the answers once the stream ended
    } catch (TimeoutException e) {
      call.cancel("no answer within " + timeout, null);
      return new Answer<>(
          List.copyOf(received), Status.DEADLINE_EXCEEDED.withDescription("no answer"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
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
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}

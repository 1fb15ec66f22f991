package io.ordo.orderer.rpc;

import io.grpc.stub.StreamObserver;
import java.util.function.Consumer;

/**
 * A request as it came off the wire: the parsed message, or why its bytes are not one. Anyone can
 * send bytes to the client port, so a request that does not parse is an answer to give, not an
 * exception for gRPC to log.
 *
 * @param message the parsed request, null when malformed
 * @param malformed why the bytes do not parse, null when parsed
 */
public record Inbound<T>(T message, String malformed) {
  public static <T> Inbound<T> of(T message) {
    return new Inbound<>(message, null);
  }

  public static <T> Inbound<T> malformed(String why) {
    return new Inbound<>(null, why);
  }

  public boolean parsed() {
    return malformed == null;
  }

  /**
   * A stream of inbound requests that hands parsed ones to {@code target} and malformed ones to
   * {@code onMalformed}.
   */
  public static <T> StreamObserver<Inbound<T>> unwrapping(
      StreamObserver<T> target, Consumer<String> onMalformed) {
    return new StreamObserver<>() {
      @Override
      public void onNext(Inbound<T> in) {
        if (in.parsed()) {
          target.onNext(in.message());
        } else {
          onMalformed.accept(in.malformed());
        }
      }

      @Override
      public void onError(Throwable t) {
        target.onError(t);
      }

      @Override
      public void onCompleted() {
        target.onCompleted();
      }
    };
  }
}

package io.ordo.orderer.rpc;

import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;

/**
 * A request marshaller that turns bytes which are not the expected message into a malformed {@link
 * Inbound} instead of an exception: gRPC answers a parse exception with UNKNOWN "Application error
 * processing RPC" and logs its stack for every such message. Parsing itself is the generated
 * marshaller's, with its size limits and buffer reuse.
 */
public final class LenientMarshaller<T> implements MethodDescriptor.Marshaller<Inbound<T>> {
  private final MethodDescriptor.Marshaller<T> delegate;

  public LenientMarshaller(MethodDescriptor.Marshaller<T> delegate) {
    this.delegate = delegate;
  }

  /** {@code method} with the same name and type, its requests read leniently. */
  public static <Q, R> MethodDescriptor<Inbound<Q>, R> lenient(MethodDescriptor<Q, R> method) {
    return method.toBuilder(
            new LenientMarshaller<>(method.getRequestMarshaller()), method.getResponseMarshaller())
        .build();
  }

  @Override
  public InputStream stream(Inbound<T> value) {
    if (!value.parsed()) {
      throw new IllegalArgumentException(
          "a malformed request cannot be sent: " + value.malformed());
    }
    return delegate.stream(value.message());
  }

  @Override
  public Inbound<T> parse(InputStream stream) {
    try {
      return Inbound.of(delegate.parse(stream));
    } catch (StatusRuntimeException e) {
      String why = e.getStatus().getDescription();
      Throwable cause = e.getCause();
      return Inbound.malformed(
          (why == null ? "not a valid message" : why)
              + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }
  }
}

package io.ordo.orderer.rpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Lets a stream's handler add trailers to its call: Fabric's responses carry a status only (a
 * Deliver {@code NOT_FOUND} says nothing of why), so an explanation for clients goes in trailers,
 * which Fabric's clients ignore. The handler takes {@link #current()} when the call starts, on the
 * call's thread, and adds to it before the call ends.
 */
public final class CallTrailers implements ServerInterceptor {
  private static final Context.Key<Metadata> KEY = Context.key("ordo-call-trailers");

  /**
   * The trailers the current call will end with, to add to under its own lock; a throwaway one
   * outside an intercepted call.
   */
  public static Metadata current() {
    Metadata m = KEY.get();
    return m != null ? m : new Metadata();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Metadata extra = new Metadata();
    ServerCall<Q, R> adding =
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            synchronized (extra) {
              trailers.merge(extra);
            }
            super.close(status, trailers);
          }
        };
    return Contexts.interceptCall(Context.current().withValue(KEY, extra), adding, headers, next);
  }
}

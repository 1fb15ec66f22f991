package io.ordo.orderer.broadcast;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** Puts the caller's address and TLS client certificate (if any) into the gRPC context. */
final class CallerInterceptor implements ServerInterceptor {
  static final Context.Key<String> REMOTE = Context.keyWithDefault("ordo-remote", "unknown");
  static final Context.Key<X509Certificate> CLIENT_CERT = Context.key("ordo-client-cert");

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    Context ctx =
        Context.current()
            .withValue(REMOTE, remote == null ? "unknown" : remote.toString())
            .withValue(
                CLIENT_CERT, leaf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)));
    return Contexts.interceptCall(ctx, call, headers, next);
  }

  private static X509Certificate leaf(SSLSession session) {
    if (session == null) {
      return null;
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }
}

package io.ordo.orderer.cluster;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** Puts the TLS client certificate of each call into the gRPC context. */
final class PeerCertificates implements ServerInterceptor {
  static final Context.Key<X509Certificate> CLIENT_CERT = Context.key("ordo-tls-client-cert");

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Optional<X509Certificate> cert =
        leaf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    if (cert.isEmpty()) {
      return next.startCall(call, headers);
    }
    return Contexts.interceptCall(
        Context.current().withValue(CLIENT_CERT, cert.get()), call, headers, next);
  }

  private static Optional<X509Certificate> leaf(SSLSession session) {
    if (session == null) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x
          ? Optional.of(x)
          : Optional.empty();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }
}

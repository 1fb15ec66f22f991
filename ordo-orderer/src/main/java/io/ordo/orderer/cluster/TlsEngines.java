package io.ordo.orderer.cluster;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLException;

/**
 * Which TLS engine the gRPC listeners and clients use: BoringSSL (bundled with grpc-netty-shaded)
 * where its native library loads, the JDK's otherwise. Every envelope and block crosses TLS several
 * times, and the JDK's engine costs several times as much CPU per byte.
 */
public final class TlsEngines {
  /** Set to {@code jdk} to force the JDK's engine, e.g. to rule the native one out. */
  public static final String PROVIDER_PROPERTY = "ordo.tls.provider";

  private TlsEngines() {}

  public static SslProvider provider() {
    if ("jdk".equalsIgnoreCase(System.getProperty(PROVIDER_PROPERTY, ""))) {
      return SslProvider.JDK;
    }
    return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
  }

  /** Configures {@code builder} for gRPC (HTTP/2 ALPN) with the preferred engine and builds it. */
  public static SslContext build(SslContextBuilder builder) throws SSLException {
    return GrpcSslContexts.configure(builder, provider()).build();
  }
}

package io.ordo.orderer.cluster;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.ordo.fabric.crypto.Ed25519;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLException;

/**
 * Which TLS engine the gRPC listeners and clients use: BoringSSL (bundled with grpc-netty-shaded)
 * where its native library loads, the JDK's otherwise. Every envelope and block crosses TLS several
 * times, and the JDK's engine costs several times as much CPU per byte.
 *
 * <p>BoringSSL as Netty builds it neither offers nor accepts Ed25519 signatures in the handshake,
 * and Netty gives no way to turn them on; Go's TLS (Fabric's) does both. A context whose own
 * certificate, trusted roots or expected peer has an Ed25519 key gets the JDK's engine, which
 * speaks Ed25519 in TLS 1.2 and 1.3.
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

  /**
   * As {@link #build(SslContextBuilder)}, with the JDK's engine when any of {@code involved} (the
   * context's own chain, its trusted roots, a pinned peer) has an Ed25519 key.
   */
  public static SslContext build(SslContextBuilder builder, Collection<X509Certificate> involved)
      throws SSLException {
    SslProvider provider =
        involved.stream().anyMatch(c -> Ed25519.isKey(c.getPublicKey()))
            ? SslProvider.JDK
            : provider();
    return GrpcSslContexts.configure(builder, provider).build();
  }
}

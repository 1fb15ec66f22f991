package io.ordo.orderer.cluster;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.ordo.orderer.rpc.GrpcServerMetrics;
import io.ordo.orderer.rpc.MaxSendMessageSize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gRPC server for the cluster service alone (the separate cluster listener): mutual TLS 1.2+,
 * client certificates verified against the cluster {@link TrustRoots}, then matched per request
 * against the channel's consenters.
 */
public final class ClusterServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterServer.class);

  private final Server server;

  private ClusterServer(Server server) {
    this.server = server;
  }

  /** As below, with a certificate that never changes. */
  public static ClusterServer start(
      InetSocketAddress address,
      TlsIdentity serverIdentity,
      TrustRoots clientRoots,
      ClusterMembership membership,
      ClusterHandler handler,
      int maxRecvMsgSize,
      Duration keepaliveMinInterval) {
    return start(
        address,
        new RotatingKeyManager(serverIdentity),
        clientRoots,
        membership,
        handler,
        maxRecvMsgSize,
        keepaliveMinInterval);
  }

  /**
   * Responses are not bounded in size (General.MaxSendMsgSize is the node's, below).
   *
   * @param maxRecvMsgSize General.MaxRecvMsgSize
   * @param keepaliveMinInterval General.Keepalive.ServerMinInterval: clients pinging more often are
   *     sent GOAWAY
   */
  public static ClusterServer start(
      InetSocketAddress address,
      RotatingKeyManager serverIdentity,
      TrustRoots clientRoots,
      ClusterMembership membership,
      ClusterHandler handler,
      int maxRecvMsgSize,
      Duration keepaliveMinInterval) {
    return start(
        address,
        serverIdentity,
        clientRoots,
        membership,
        handler,
        maxRecvMsgSize,
        Integer.MAX_VALUE,
        keepaliveMinInterval,
        CommMetrics.discarding(),
        GrpcServerMetrics.discarding());
  }

  /**
   * As above, counting the streams other nodes open in {@code metrics}.
   *
   * @param maxSendMsgSize General.MaxSendMsgSize
   */
  public static ClusterServer start(
      InetSocketAddress address,
      RotatingKeyManager serverIdentity,
      TrustRoots clientRoots,
      ClusterMembership membership,
      ClusterHandler handler,
      int maxRecvMsgSize,
      int maxSendMsgSize,
      Duration keepaliveMinInterval,
      CommMetrics metrics,
      GrpcServerMetrics grpcMetrics) {
    Server server =
        grpcMetrics
            .instrument(
                NettyServerBuilder.forAddress(address)
                    .sslContext(serverTls(serverIdentity, clientRoots))
                    .maxInboundMessageSize(maxRecvMsgSize)
                    .intercept(new MaxSendMessageSize(maxSendMsgSize))
                    .permitKeepAliveTime(keepaliveMinInterval.toMillis(), TimeUnit.MILLISECONDS)
                    .permitKeepAliveWithoutCalls(true)
                    .addService(service(membership, handler, metrics)))
            .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for cluster traffic on " + address, e);
    }
    LOG.info("cluster service listening on {}", server.getListenSockets());
    return new ClusterServer(server);
  }

  /**
   * The cluster service for a server built elsewhere (the general listener): it identifies each
   * request's sender by the call's TLS client certificate.
   */
  public static ServerServiceDefinition service(
      ClusterMembership membership, ClusterHandler handler) {
    return service(membership, handler, CommMetrics.discarding());
  }

  /** As above, counting the streams other nodes open in {@code metrics}. */
  public static ServerServiceDefinition service(
      ClusterMembership membership, ClusterHandler handler, CommMetrics metrics) {
    return ServerInterceptors.intercept(
        new ClusterService(membership, handler, metrics).definition(), new PeerCertificates());
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return ((InetSocketAddress) server.getListenSockets().getFirst()).getPort();
  }

  static SslContext serverTls(RotatingKeyManager identity, TrustRoots clientRoots) {
    return serverTls(identity, clientRoots, ClientAuth.REQUIRE);
  }

  /**
   * The TLS context of a gRPC listener that may carry the cluster service (the general listener
   * when the cluster shares it): client certificates, when asked for, are checked against {@code
   * clientRoots} as they stand at each handshake.
   *
   * @param identity what the listener presents; replacing it rotates the certificate of new
   *     connections
   * @param clientAuth REQUIRE for mutual TLS, OPTIONAL to let cluster peers present theirs, NONE
   */
  public static SslContext serverTls(
      RotatingKeyManager identity, TrustRoots clientRoots, ClientAuth clientAuth) {
    try {
      SslContextBuilder b =
          SslContextBuilder.forServer(identity)
              .clientAuth(clientAuth)
              .trustManager(new PkixTrustManager(clientRoots, Optional.empty()))
              .protocols("TLSv1.3", "TLSv1.2");
      List<X509Certificate> involved = new ArrayList<>(identity.current().chain());
      involved.addAll(clientRoots.current());
      return TlsEngines.build(b, involved);
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the cluster server TLS context", e);
    }
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

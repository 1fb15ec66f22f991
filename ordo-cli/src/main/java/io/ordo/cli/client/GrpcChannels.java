package io.ordo.cli.client;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.MessageText;
import io.ordo.fabric.crypto.Pem;
import io.ordo.orderer.cluster.TlsEngines;
import java.io.IOException;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** TLS gRPC channels to orderers, as a Fabric client opens them. */
public final class GrpcChannels {
  /** Fabric's default maximum message size for clients (100 MB). */
  public static final int MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

  private GrpcChannels() {}

  /** The TLS context trusting {@code target}'s CA file, with its client certificate if any. */
  public static SslContext tls(OrdererTarget target) {
    try {
      List<X509Certificate> cas = Pem.certificates(Files.readAllBytes(target.tlsCa()));
      SslContextBuilder b =
          SslContextBuilder.forClient().trustManager(cas.toArray(new X509Certificate[0]));
      List<X509Certificate> involved = new ArrayList<>(cas);
      Optional<OrdererTarget.ClientTls> client = target.clientTls();
      if (client.isPresent()) {
        // read here, not by Netty, whose key reader knows no Ed25519 keys
        List<X509Certificate> chain =
            Pem.certificates(Files.readAllBytes(client.get().certificate()));
        b.keyManager(
            Pem.privateKey(Files.readAllBytes(client.get().key())),
            chain.toArray(new X509Certificate[0]));
        involved.addAll(chain);
      }
      return TlsEngines.build(b, involved);
    } catch (IOException | IllegalArgumentException | Pem.PemException e) {
      throw new CommandFailedException(
          "cannot use TLS CA file "
              + target.tlsCa()
              + target.clientTls().map(c -> " or client certificate " + c.certificate()).orElse("")
              + ": "
              + MessageText.oneLine(e.getMessage()),
          e);
    }
  }

  public static ManagedChannel open(OrdererEndpoint endpoint, SslContext tls) {
    return builder(endpoint, tls).build();
  }

  /**
   * A channel whose response handlers run on its network thread: only for callers whose handlers
   * never block (the benchmark's, which count and time), saving a thread hop per message.
   */
  public static ManagedChannel openDirect(OrdererEndpoint endpoint, SslContext tls) {
    return builder(endpoint, tls).directExecutor().build();
  }

  private static NettyChannelBuilder builder(OrdererEndpoint endpoint, SslContext tls) {
    return NettyChannelBuilder.forAddress(endpoint.host(), endpoint.port())
        .negotiationType(NegotiationType.TLS)
        .sslContext(tls)
        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
        .keepAliveTime(60, TimeUnit.SECONDS);
  }

  /** Closes {@code channel}, waiting a little for its calls to end. */
  public static void close(ManagedChannel channel) {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

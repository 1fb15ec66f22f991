package io.ordo.orderer.it;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.ordo.fabric.crypto.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS clients of a cluster's listeners, trusting its TLS CA. */
final class TlsClients {
  /** A TLS client certificate and its key, as cryptogen writes them. */
  record ClientCert(Path certificate, Path key) {
    static ClientCert in(Path tlsDir, String prefix) {
      return new ClientCert(tlsDir.resolve(prefix + ".crt"), tlsDir.resolve(prefix + ".key"));
    }
  }

  private final X509Certificate tlsCa;

  TlsClients(Path tlsCaCert) {
    this.tlsCa = Pem.certificate(read(tlsCaCert));
  }

  /** A gRPC channel over TLS to a loopback port, presenting {@code client} when given. */
  ManagedChannel grpc(int port, Optional<ClientCert> client, int maxInboundMessageSize) {
    try {
      SslContextBuilder b =
          GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
              .trustManager(tlsCa);
      if (client.isPresent()) {
        b.keyManager(
            Pem.privateKey(read(client.get().key())),
            Pem.certificate(read(client.get().certificate())));
      }
      return NettyChannelBuilder.forAddress("127.0.0.1", port)
          .sslContext(b.build())
          .maxInboundMessageSize(maxInboundMessageSize)
          .build();
    } catch (javax.net.ssl.SSLException e) {
      throw new IllegalStateException("cannot make a TLS context for port " + port, e);
    }
  }

  /** An HTTPS client presenting {@code client} when given. */
  HttpClient https(Optional<ClientCert> client) {
    return HttpClient.newBuilder()
        .sslContext(sslContext(client))
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  SSLContext sslContext(Optional<ClientCert> client) {
    try {
      KeyManagerFactory kmf = null;
      if (client.isPresent()) {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        PrivateKey key = Pem.privateKey(read(client.get().key()));
        keys.setKeyEntry(
            "client",
            key,
            new char[0],
            new X509Certificate[] {Pem.certificate(read(client.get().certificate()))});
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
      }
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", tlsCa);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot make an SSL context", e);
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}

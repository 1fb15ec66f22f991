package io.ordo.orderer.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.netty.shaded.io.netty.handler.ssl.JdkSslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.ordo.fabric.crypto.KeyAlgorithm;
import io.ordo.fabric.crypto.KeyPairs;
import io.ordo.fabric.cryptogen.CertificateAuthority;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine of a TLS context: the JDK's whenever an Ed25519 key is involved (BoringSSL as Netty
 * builds it would fail the handshake), the preferred one otherwise.
 */
class TlsEnginesTest {
  private final SecureRandom random = new SecureRandom();
  private final Instant now = Instant.now();

  @Test
  void anEd25519CertificateAnywhereInTheContextChoosesTheJdksEngine() throws Exception {
    CertificateAuthority edCa = ca(KeyAlgorithm.ED25519);
    CertificateAuthority ecCa = ca(KeyAlgorithm.ECDSA);
    KeyPair edKeys = KeyPairs.ed25519(random);
    X509Certificate edLeaf =
        edCa.issueTls(
            "node", List.of("localhost"), edKeys.getPublic(), now, now.plus(Duration.ofDays(1)));

    // its own Ed25519 certificate
    SslContext own =
        TlsEngines.build(
            SslContextBuilder.forServer(edKeys.getPrivate(), edLeaf),
            List.of(edLeaf, ecCa.certificate()));
    assertThat(own).isInstanceOf(JdkSslContext.class);
    // an Ed25519 root it trusts, its own key ECDSA
    KeyPair ecKeys = KeyPairs.p256(random);
    X509Certificate ecLeaf =
        ecCa.issueTls(
            "node", List.of("localhost"), ecKeys.getPublic(), now, now.plus(Duration.ofDays(1)));
    SslContext trusting =
        TlsEngines.build(
            SslContextBuilder.forClient().keyManager(ecKeys.getPrivate(), ecLeaf),
            List.of(ecLeaf, edCa.certificate()));
    assertThat(trusting).isInstanceOf(JdkSslContext.class);
    // ECDSA only: the preferred engine
    SslContext plain =
        TlsEngines.build(
            SslContextBuilder.forClient().keyManager(ecKeys.getPrivate(), ecLeaf),
            List.of(ecLeaf, ecCa.certificate()));
    assertThat(plain instanceof JdkSslContext).isEqualTo(!OpenSsl.isAvailable());
  }

  private CertificateAuthority ca(KeyAlgorithm algorithm) {
    return CertificateAuthority.root(
        "example.com",
        "tlsca." + algorithm,
        now.minusSeconds(60),
        now.plus(Duration.ofDays(1)),
        algorithm,
        random);
  }
}

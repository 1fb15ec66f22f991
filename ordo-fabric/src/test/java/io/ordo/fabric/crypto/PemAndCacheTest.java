package io.ordo.fabric.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordo.fabric.TestData;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PemAndCacheTest {
  @Test
  void aCryptogenCertificateReadsAndWritesBackToTheSameDer() throws Exception {
    byte[] pem =
        TestData.read(
            TestData.network()
                .resolve(
                    "crypto/ordererOrganizations/example.com/msp/cacerts/ca.example.com-cert.pem"));
    X509Certificate cert = Pem.certificate(pem);
    assertThat(cert.getSubjectX500Principal().getName()).contains("CN=ca.example.com");
    assertThat(Pem.certificate(Pem.encode(cert)).getEncoded()).isEqualTo(cert.getEncoded());
  }

  @Test
  void aPkcs8KeyRoundTripsAndStillSigns() {
    KeyPair kp = KeyPairs.p256(new SecureRandom());
    byte[] pem = Pem.encode(kp.getPrivate());
    assertThat(new String(pem, StandardCharsets.US_ASCII))
        .startsWith("-----BEGIN PRIVATE KEY-----");
    Ecdsa ecdsa = new Ecdsa(CryptoProvider.jdk());
    byte[] sig = ecdsa.sign(Pem.privateKey(pem), new byte[] {1, 2});
    assertThat(ecdsa.isValid(kp.getPublic(), new byte[] {1, 2}, sig)).isTrue();
  }

  @Test
  void garbageIsNotACertificate() {
    assertThatThrownBy(() -> Pem.certificate("hello".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(Pem.PemException.class);
  }

  @Test
  void theCacheEvictsTheLeastRecentlyUsedEntryAtCapacity() {
    BoundedCache<Integer, String> cache = new BoundedCache<>(2);
    AtomicInteger computed = new AtomicInteger();
    cache.get(1, k -> "one" + computed.incrementAndGet());
    cache.get(2, k -> "two" + computed.incrementAndGet());
    cache.get(1, k -> "again" + computed.incrementAndGet()); // hit: 1 becomes most recent
    cache.get(3, k -> "three" + computed.incrementAndGet()); // evicts 2
    assertThat(cache.size()).isEqualTo(2);
    assertThat(computed.get()).isEqualTo(3);
    assertThat(cache.get(1, k -> "miss")).isEqualTo("one1");
    assertThat(cache.get(2, k -> "recomputed")).isEqualTo("recomputed");
  }
}

package io.ordo.orderer.testing;

import com.google.protobuf.ByteString;
import io.ordo.fabric.crypto.CryptoProvider;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.crypto.KeyPairs;
import io.ordo.fabric.crypto.Pem;
import io.ordo.fabric.cryptogen.CertificateAuthority;
import io.ordo.fabric.msp.LocalSigningIdentity;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.hyperledger.fabric.protos.msp.FabricCryptoConfig;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.FabricNodeOUs;
import org.hyperledger.fabric.protos.msp.FabricOUIdentifier;

/** A generated organisation (signing CA and TLS CA, NodeOUs on) for tests needing private keys. */
public final class TestOrg {
  public static final Instant NOW = Instant.now();
  public static final Ecdsa ECDSA = new Ecdsa(CryptoProvider.jdk());

  public final String mspId;
  public final CertificateAuthority ca;
  public final CertificateAuthority tlsCa;
  private final SecureRandom random = new SecureRandom();

  /** A TLS key pair and its certificate. */
  public record TlsIdentity(KeyPair keys, X509Certificate certificate) {
    public byte[] certificatePem() {
      return Pem.encode(certificate);
    }
  }

  public TestOrg(String mspId) {
    this.mspId = mspId;
    String lower = mspId.toLowerCase(Locale.ROOT);
    Instant from = NOW.minus(Duration.ofDays(365));
    Instant to = NOW.plus(Duration.ofDays(3650));
    this.ca = CertificateAuthority.root(lower + ".example.com", "ca." + lower, from, to, random);
    this.tlsCa =
        CertificateAuthority.root(lower + ".example.com", "tlsca." + lower, from, to, random);
  }

  /** A signing identity with NodeOU {@code ou} ("client", "peer", "admin", "orderer"). */
  public LocalSigningIdentity member(String name, String ou) {
    return member(name, ou, NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(365)));
  }

  public LocalSigningIdentity member(String name, String ou, Instant notBefore, Instant notAfter) {
    KeyPair kp = KeyPairs.p256(random);
    var cert = ca.issue(name, List.of(ou), List.of(), kp.getPublic(), notBefore, notAfter);
    return new LocalSigningIdentity(mspId, Pem.encode(cert), kp.getPrivate(), ECDSA);
  }

  /** A TLS server-and-client certificate for {@code host} from this org's TLS CA. */
  public TlsIdentity tls(String host) {
    return tls(host, NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(365)));
  }

  /** As above, valid from {@code notBefore} through {@code notAfter} (expired ones too). */
  public TlsIdentity tls(String host, Instant notBefore, Instant notAfter) {
    KeyPair kp = KeyPairs.p256(random);
    var cert =
        tlsCa.issue(
            host,
            List.of(),
            List.of(host, "localhost", "127.0.0.1"),
            kp.getPublic(),
            notBefore,
            notAfter);
    return new TlsIdentity(kp, cert);
  }

  public FabricMSPConfig mspConfig() {
    ByteString caPem = ByteString.copyFrom(Pem.encode(ca.certificate()));
    return FabricMSPConfig.newBuilder()
        .setName(mspId)
        .addRootCerts(caPem)
        .addTlsRootCerts(ByteString.copyFrom(Pem.encode(tlsCa.certificate())))
        .setCryptoConfig(
            FabricCryptoConfig.newBuilder()
                .setSignatureHashFamily("SHA2")
                .setIdentityIdentifierHashFunction("SHA256"))
        .setFabricNodeOus(
            FabricNodeOUs.newBuilder()
                .setEnable(true)
                .setClientOuIdentifier(ou(caPem, "client"))
                .setPeerOuIdentifier(ou(caPem, "peer"))
                .setAdminOuIdentifier(ou(caPem, "admin"))
                .setOrdererOuIdentifier(ou(caPem, "orderer")))
        .build();
  }

  private static FabricOUIdentifier ou(ByteString caPem, String ou) {
    return FabricOUIdentifier.newBuilder()
        .setCertificate(caPem)
        .setOrganizationalUnitIdentifier(ou)
        .build();
  }
}

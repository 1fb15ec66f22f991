package io.ordo.fabric;

import com.google.protobuf.ByteString;
import io.ordo.fabric.crypto.CryptoProvider;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.crypto.KeyAlgorithm;
import io.ordo.fabric.crypto.KeyPairs;
import io.ordo.fabric.crypto.Pem;
import io.ordo.fabric.cryptogen.CertificateAuthority;
import io.ordo.fabric.msp.FabricMsp;
import io.ordo.fabric.msp.LocalSigningIdentity;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hyperledger.fabric.protos.msp.FabricCryptoConfig;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.FabricNodeOUs;
import org.hyperledger.fabric.protos.msp.FabricOUIdentifier;

/** A generated organisation with NodeOUs, for tests that need private keys. */
public final class TestOrg {
  public static final Instant NOW = Instant.now();
  public static final Ecdsa ECDSA = new Ecdsa(CryptoProvider.jdk());

  public final String mspId;
  public final CertificateAuthority ca;
  public final CertificateAuthority tlsCa;
  private final SecureRandom random = new SecureRandom();

  public TestOrg(String mspId) {
    this(mspId, KeyAlgorithm.ECDSA);
  }

  /** An organisation whose CAs have keys of {@code caAlgorithm}. */
  public TestOrg(String mspId, KeyAlgorithm caAlgorithm) {
    this.mspId = mspId;
    this.ca =
        CertificateAuthority.root(
            mspId.toLowerCase() + ".example.com",
            "ca." + mspId.toLowerCase(),
            NOW.minus(Duration.ofDays(365)),
            NOW.plus(Duration.ofDays(3650)),
            caAlgorithm,
            random);
    this.tlsCa =
        CertificateAuthority.root(
            mspId.toLowerCase() + ".example.com",
            "tlsca." + mspId.toLowerCase(),
            NOW.minus(Duration.ofDays(365)),
            NOW.plus(Duration.ofDays(3650)),
            caAlgorithm,
            random);
  }

  /** A signing identity with the given NodeOU ("client", "peer", "admin", "orderer"). */
  public LocalSigningIdentity member(String name, String ou) {
    return member(
        name, List.of(ou), NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(365)));
  }

  /** A signing identity with the given NodeOU and a key of {@code algorithm}. */
  public LocalSigningIdentity member(String name, String ou, KeyAlgorithm algorithm) {
    return member(
        name,
        List.of(ou),
        NOW.minus(Duration.ofHours(1)),
        NOW.plus(Duration.ofDays(365)),
        algorithm);
  }

  public LocalSigningIdentity member(
      String name, List<String> ous, Instant notBefore, Instant notAfter) {
    return member(name, ous, notBefore, notAfter, KeyAlgorithm.ECDSA);
  }

  public LocalSigningIdentity member(
      String name, List<String> ous, Instant notBefore, Instant notAfter, KeyAlgorithm algorithm) {
    KeyPair kp = KeyPairs.generate(algorithm, random);
    var cert = ca.issue(name, ous, List.of(), kp.getPublic(), notBefore, notAfter);
    return new LocalSigningIdentity(mspId, Pem.encode(cert), kp.getPrivate(), ECDSA);
  }

  public FabricMSPConfig mspConfig(X509CRL... crls) {
    ByteString caPem = ByteString.copyFrom(Pem.encode(ca.certificate()));
    FabricMSPConfig.Builder b =
        FabricMSPConfig.newBuilder()
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
                    .setOrdererOuIdentifier(ou(caPem, "orderer")));
    for (X509CRL crl : crls) {
      b.addRevocationList(ByteString.copyFrom(Pem.encode(crl)));
    }
    return b.build();
  }

  public FabricMsp msp(X509CRL... crls) {
    return new FabricMsp(mspConfig(crls));
  }

  private static FabricOUIdentifier ou(ByteString caPem, String ou) {
    return FabricOUIdentifier.newBuilder()
        .setCertificate(caPem)
        .setOrganizationalUnitIdentifier(ou)
        .build();
  }
}

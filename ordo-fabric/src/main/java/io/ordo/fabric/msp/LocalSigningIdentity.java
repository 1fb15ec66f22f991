package io.ordo.fabric.msp;

import com.google.protobuf.ByteString;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.crypto.Ed25519;
import io.ordo.fabric.crypto.Pem;
import io.ordo.fabric.crypto.Signatures;
import io.ordo.fabric.crypto.Signer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * The node's own signing identity, loaded from a Fabric-layout msp directory: the certificate in
 * signcerts and the PKCS#8 key in keystore whose public half matches it: ECDSA P-256, or Ed25519 as
 * Fabric v3's cryptogen issues with {@code PublicKeyAlgorithm: ed25519}.
 */
public final class LocalSigningIdentity implements Signer {
  private final Identity identity;
  private final byte[] serialized;
  private final PrivateKey key;
  private final Ecdsa ecdsa;

  public LocalSigningIdentity(String mspId, byte[] certificatePem, PrivateKey key, Ecdsa ecdsa) {
    this.identity = new Identity(mspId, Pem.certificate(certificatePem));
    this.serialized =
        SerializedIdentity.newBuilder()
            .setMspid(mspId)
            .setIdBytes(ByteString.copyFrom(certificatePem))
            .build()
            .toByteArray();
    this.key = key;
    this.ecdsa = ecdsa;
    byte[] probe = {0x6f, 0x72, 0x64, 0x6f};
    if (!matches(identity.certificate(), key, ecdsa, probe)) {
      throw new IllegalArgumentException(
          "the private key does not match the certificate of " + identity.describe());
    }
  }

  /** Loads signcerts/ and keystore/ of {@code mspDir}. */
  public static LocalSigningIdentity load(Path mspDir, String mspId, Ecdsa ecdsa) {
    List<Path> certs = list(mspDir.resolve("signcerts"));
    if (certs.isEmpty()) {
      throw new IllegalArgumentException("no certificate in " + mspDir.resolve("signcerts"));
    }
    byte[] certPem = MspDirectory.read(certs.get(0));
    X509Certificate cert = Pem.certificate(certPem);
    for (Path keyFile : list(mspDir.resolve("keystore"))) {
      PrivateKey k;
      try {
        k = Pem.privateKey(MspDirectory.read(keyFile));
      } catch (Pem.PemException e) {
        continue; // not a key file
      }
      if (matches(cert, k, ecdsa, new byte[] {1})) {
        return new LocalSigningIdentity(mspId, certPem, k, ecdsa);
      }
    }
    throw new IllegalArgumentException(
        "no private key in "
            + mspDir.resolve("keystore")
            + " matches "
            + certs.get(0).getFileName());
  }

  public Identity identity() {
    return identity;
  }

  @Override
  public byte[] serializedIdentity() {
    return Arrays.copyOf(serialized, serialized.length);
  }

  @Override
  public byte[] sign(byte[] message) {
    return Signatures.sign(ecdsa, key, message);
  }

  /** Whether {@code key} is the private half of {@code cert}'s key, of the same algorithm. */
  private static boolean matches(X509Certificate cert, PrivateKey key, Ecdsa ecdsa, byte[] probe) {
    PublicKey pub = cert.getPublicKey();
    if (Ed25519.isKey(pub) != Ed25519.isKey(key)) {
      return false; // an EC key against an Ed25519 certificate, or the other way round
    }
    return Signatures.isValid(ecdsa, pub, probe, Signatures.sign(ecdsa, key, probe));
  }

  @Override
  public String toString() {
    // never the key
    return "LocalSigningIdentity[" + identity.describe() + "]";
  }

  private static List<Path> list(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable folder " + folder, e);
    }
  }
}

package io.ordo.bench;

import com.google.protobuf.ByteString;
import io.ordo.fabric.crypto.CryptoProvider;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.crypto.KeyAlgorithm;
import io.ordo.fabric.crypto.KeyPairs;
import io.ordo.fabric.crypto.Signatures;
import io.ordo.fabric.crypto.Signer;
import io.ordo.fabric.envelope.Envelopes;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Verification of a signed envelope's payload with 1 KB of data as a policy check does it ({@link
 * Signatures#verify}, which picks the algorithm by the key): Ed25519 against ECDSA P-256, with the
 * JDK's provider and with ACCP, on one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Ed25519SignatureBenchmark {
  @Param({"JDK", "ACCP"})
  public String provider;

  @Param({"ED25519", "ECDSA"})
  public String algorithm;

  private Ecdsa ecdsa;
  private PublicKey publicKey;
  private ByteString payload;
  private ByteString signature;

  @Setup(Level.Trial)
  public void setUp() {
    CryptoProvider p =
        switch (provider) {
          case "JDK" -> CryptoProvider.jdk();
          case "ACCP" ->
              CryptoProvider.accp()
                  .orElseThrow(() -> new IllegalStateException("ACCP does not load here"));
          default -> throw new IllegalArgumentException("provider " + provider);
        };
    ecdsa = new Ecdsa(p);
    SecureRandom random = new SecureRandom();
    KeyPair keys = KeyPairs.generate(KeyAlgorithm.valueOf(algorithm), random);
    publicKey = keys.getPublic();
    byte[] data = new byte[1024];
    random.nextBytes(data);
    Signer signer =
        new Signer() {
          @Override
          public byte[] serializedIdentity() {
            return new byte[700]; // the size of a PEM certificate in a SerializedIdentity
          }

          @Override
          public byte[] sign(byte[] message) {
            return Signatures.sign(ecdsa, keys.getPrivate(), message);
          }
        };
    Envelope env =
        Envelopes.signed(
            HeaderType.ENDORSER_TRANSACTION,
            "mychannel",
            ByteString.copyFrom(data),
            signer,
            random,
            Instant.now());
    payload = env.getPayload();
    signature = env.getSignature();
    Signatures.verify(ecdsa, publicKey, payload, signature);
  }

  @Benchmark
  @Threads(1)
  public void verifyOneThread() {
    Signatures.verify(ecdsa, publicKey, payload, signature);
  }
}

package io.ordo.bench;

import com.google.protobuf.ByteString;
import io.ordo.fabric.block.BlockCreator;
import io.ordo.fabric.block.BlockHashing;
import io.ordo.fabric.block.BlockSigner;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.crypto.KeyPairs;
import io.ordo.fabric.crypto.Signer;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cutting a 1 MiB block (1,024 envelopes of 1 KiB): creating it (data hash), signing it as an
 * orderer does (SIGNATURES and LAST_CONFIG), hashing its header and serialising it, with the
 * preferred provider. One operation is one block, so MB/s = ops/s x 1.048576.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FabricBlockBenchmark {
  private List<ByteString> envelopes;
  private BlockCreator creator;
  private BlockSigner signer;

  @Setup(Level.Trial)
  public void setUp() {
    SecureRandom random = new SecureRandom();
    envelopes = new ArrayList<>();
    for (int i = 0; i < 1024; i++) {
      byte[] e = new byte[1024];
      random.nextBytes(e);
      envelopes.add(ByteString.copyFrom(e));
    }
    Ecdsa ecdsa = Ecdsa.preferred();
    KeyPair keys = KeyPairs.p256(random);
    byte[] identity = new byte[700];
    signer =
        new BlockSigner(
            new Signer() {
              @Override
              public byte[] serializedIdentity() {
                return identity.clone();
              }

              @Override
              public byte[] sign(byte[] message) {
                return ecdsa.sign(keys.getPrivate(), message);
              }
            },
            random);
    creator = new BlockCreator(BlockHeader.newBuilder().setNumber(0).build());
  }

  @Benchmark
  public byte[] createSignHash() {
    Block block = creator.createNext(envelopes);
    Block signed = signer.sign(block, 0, ByteString.EMPTY);
    byte[] headerHash = BlockHashing.headerHash(signed.getHeader());
    byte[] bytes = signed.toByteArray();
    return bytes.length > 0 ? headerHash : bytes;
  }
}

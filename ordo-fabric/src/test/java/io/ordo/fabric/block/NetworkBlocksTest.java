package io.ordo.fabric.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.fabric.TestData;
import io.ordo.fabric.crypto.CryptoProvider;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.crypto.Pem;
import io.ordo.fabric.crypto.SignedData;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real blocks a Fabric v3.0.0 network ordered: hashes and the signed bytes. */
class NetworkBlocksTest {
  static Block block(int n) throws Exception {
    return Block.parseFrom(TestData.read(TestData.network().resolve("block-" + n + ".pb")));
  }

  @Test
  void blockOnesPreviousHashIsTheGenesisHeaderHash() throws Exception {
    assertThat(block(1).getHeader().getPreviousHash().toByteArray())
        .isEqualTo(BlockHashing.headerHash(block(0).getHeader()));
    assertThat(block(2).getHeader().getPreviousHash().toByteArray())
        .isEqualTo(BlockHashing.headerHash(block(1).getHeader()));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 725})
  void dataHashOfEveryBlockMatchesItsHeader(int n) throws Exception {
    Block b = block(n);
    assertThat(BlockHashing.dataHash(b.getData()))
        .isEqualTo(b.getHeader().getDataHash().toByteArray());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 725})
  void theOrdererSignatureCoversValueSignatureHeaderAndHeaderDer(int n) throws Exception {
    Block b = block(n);
    List<SignedData> signed = BlockVerifier.signedData(b);
    assertThat(signed).hasSize(1);
    SerializedIdentity creator = SerializedIdentity.parseFrom(signed.get(0).identity());
    assertThat(creator.getMspid()).isEqualTo("OrdererMSP");
    var cert = Pem.certificate(creator.getIdBytes().toByteArray());
    assertThat(cert.getSubjectX500Principal().getName()).contains("orderer1.example.com");
    new Ecdsa(CryptoProvider.jdk())
        .verify(cert.getPublicKey(), signed.get(0).data(), signed.get(0).signature());
  }

  @Test
  void metadataReadsBackLastConfigAndEtcdraftConsenters() throws Exception {
    Block b = block(725);
    assertThat(Blocks.lastConfigIndex(b)).isZero();
    var raft =
        org.hyperledger.fabric.protos.orderer.etcdraft.BlockMetadata.parseFrom(
            Blocks.consenterMetadata(b));
    assertThat(raft.getConsenterIdsList()).containsExactly(1L, 2L, 3L);
    assertThat(raft.getNextConsenterId()).isEqualTo(4);
    assertThat(raft.getRaftIndex()).isGreaterThan(725);
    assertThat(Blocks.lastConfigIndex(block(0))).isZero();
  }
}

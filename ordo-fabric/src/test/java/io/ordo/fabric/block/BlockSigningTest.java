package io.ordo.fabric.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.ordo.fabric.crypto.CryptoProvider;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.crypto.KeyPairs;
import io.ordo.fabric.crypto.Signer;
import io.ordo.fabric.policy.Policy;
import io.ordo.fabric.policy.PolicyNotSatisfiedException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.junit.jupiter.api.Test;

class BlockSigningTest {
  private static final Ecdsa ECDSA = new Ecdsa(CryptoProvider.jdk());
  private final KeyPair key = KeyPairs.p256(new SecureRandom());
  private final byte[] identity =
      "orderer-identity".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private final Signer signer =
      new Signer() {
        @Override
        public byte[] serializedIdentity() {
          return identity;
        }

        @Override
        public byte[] sign(byte[] message) {
          return ECDSA.sign(key.getPrivate(), message);
        }
      };

  /** A stand-in policy: one signature by {@link #key} under {@link #identity}. */
  private final Policy signedByKey =
      signatures -> {
        for (var s : signatures) {
          if (s.identity().equals(com.google.protobuf.ByteString.copyFrom(identity))
              && ECDSA.isValid(
                  key.getPublic(), s.data().toByteArray(), s.signature().toByteArray())) {
            return;
          }
        }
        throw new PolicyNotSatisfiedException("no valid signature by the test key");
      };

  private Block signedBlock() {
    BlockCreator creator = new BlockCreator(BlockHeader.newBuilder().setNumber(4).build());
    Block unsigned =
        creator.createNext(List.of(ByteString.copyFromUtf8("e1"), ByteString.copyFromUtf8("e2")));
    ByteString raft =
        org.hyperledger.fabric.protos.orderer.etcdraft.BlockMetadata.newBuilder()
            .addConsenterIds(1)
            .setNextConsenterId(2)
            .setRaftIndex(9)
            .build()
            .toByteString();
    return new BlockSigner(signer, new SecureRandom()).sign(unsigned, 3, raft);
  }

  @Test
  void theCreatorChainsBlocksOnTheLastCreatedOne() {
    BlockHeader genesis = BlockHeader.newBuilder().setNumber(0).build();
    BlockCreator creator = new BlockCreator(genesis);
    Block b1 = creator.createNext(List.of(ByteString.copyFromUtf8("a")));
    Block b2 = creator.createNext(List.of());
    assertThat(b1.getHeader().getNumber()).isEqualTo(1);
    assertThat(b1.getHeader().getPreviousHash().toByteArray())
        .isEqualTo(BlockHashing.headerHash(genesis));
    assertThat(b2.getHeader().getPreviousHash().toByteArray())
        .isEqualTo(BlockHashing.headerHash(b1.getHeader()));
    assertThat(b2.getHeader().getDataHash().toByteArray())
        .isEqualTo(io.ordo.fabric.crypto.Hashes.sha256());
    assertThat(b1.getMetadata().getMetadataCount()).isEqualTo(5);
  }

  @Test
  void aSignedBlockCarriesFabricsMetadataAndVerifies() throws Exception {
    Block b = signedBlock();
    new BlockVerifier(signedByKey).verify(b);
    assertThat(Blocks.lastConfigIndex(b)).isEqualTo(3);
    assertThat(
            org.hyperledger.fabric.protos.orderer.etcdraft.BlockMetadata.parseFrom(
                    Blocks.consenterMetadata(b))
                .getRaftIndex())
        .isEqualTo(9);
    Metadata sigs = Blocks.metadata(b, MetadataSlot.SIGNATURES);
    assertThat(OrdererBlockMetadata.parseFrom(sigs.getValue()).getLastConfig().getIndex())
        .isEqualTo(3);
    SignatureHeader sh = SignatureHeader.parseFrom(sigs.getSignatures(0).getSignatureHeader());
    assertThat(sh.getNonce().size()).isEqualTo(24);
    assertThat(sh.getCreator().toByteArray()).isEqualTo(identity);
    assertThat(Blocks.slot(b, MetadataSlot.TRANSACTIONS_FILTER).isEmpty()).isTrue();
  }

  @Test
  void tamperedDataFailsTheDataHashCheck() {
    Block b = signedBlock();
    Block tampered =
        b.toBuilder()
            .setData(b.getData().toBuilder().setData(0, ByteString.copyFromUtf8("E1")))
            .build();
    assertFails(tampered, BlockVerificationException.Check.DATA_HASH);
  }

  @Test
  void tamperedHeaderFailsTheSignatureCheck() {
    Block b = signedBlock();
    Block tampered = b.toBuilder().setHeader(b.getHeader().toBuilder().setNumber(6)).build();
    assertFails(tampered, BlockVerificationException.Check.SIGNATURE_POLICY);
  }

  @Test
  void aWrongPreviousHashFailsTheChainCheck() {
    Block b = signedBlock();
    assertThatThrownBy(() -> new BlockVerifier(signedByKey).verify(b, new byte[32]))
        .isInstanceOfSatisfying(
            BlockVerificationException.class,
            e -> assertThat(e.check()).isEqualTo(BlockVerificationException.Check.PREVIOUS_HASH));
  }

  @Test
  void anUnsignedBlockFailsTheSignaturesPresentCheck() {
    Block unsigned = new BlockCreator(BlockHeader.getDefaultInstance()).createNext(List.of());
    assertFails(unsigned, BlockVerificationException.Check.SIGNATURES_PRESENT);
  }

  private void assertFails(Block b, BlockVerificationException.Check check) {
    assertThatThrownBy(() -> new BlockVerifier(signedByKey).verify(b))
        .isInstanceOfSatisfying(
            BlockVerificationException.class,
            e -> {
              assertThat(e.check()).isEqualTo(check);
              assertThat(e.getMessage()).contains(check.name());
            });
  }
}

package io.ordo.fabric.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.ordo.fabric.TestData;
import io.ordo.fabric.block.BlockHashing;
import io.ordo.fabric.block.BlockVerificationException;
import io.ordo.fabric.block.BlockVerificationException.Check;
import io.ordo.fabric.block.BlockVerifier;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.msp.ChannelMsps;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.Payload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Blocks that a real Fabric v3.0.0 network signed verify against its genesis config's policy. */
class NetworkBlockValidationTest {
  static Block block(int n) throws Exception {
    return Block.parseFrom(TestData.read(TestData.network().resolve("block-" + n + ".pb")));
  }

  static ConfigGroup channelGroup(Block configBlock) throws Exception {
    Envelope env = Envelope.parseFrom(configBlock.getData().getData(0));
    return ConfigEnvelope.parseFrom(Payload.parseFrom(env.getPayload()).getData())
        .getConfig()
        .getChannelGroup();
  }

  static BlockVerifier verifier() throws Exception {
    ConfigGroup channel = channelGroup(block(0));
    PolicyManager policies =
        PolicyManager.forChannel(channel, ChannelMsps.fromChannelGroup(channel), Ecdsa.preferred());
    return new BlockVerifier(policies.get("/Channel/Orderer/BlockValidation"));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 725})
  void ordererSignaturesSatisfyBlockValidation(int n) throws Exception {
    verifier().verify(block(n));
  }

  @Test
  void blockOneChainsToTheGenesisBlock() throws Exception {
    verifier().verify(block(1), BlockHashing.headerHash(block(0).getHeader()));
    assertFails(
        () -> verifier().verify(block(2), BlockHashing.headerHash(block(0).getHeader())),
        Check.PREVIOUS_HASH);
  }

  @Test
  void oneByteOfDataChangedFailsTheDataHash() throws Exception {
    Block b = block(1);
    byte[] first = b.getData().getData(0).toByteArray();
    first[first.length / 2] ^= 1;
    Block tampered =
        b.toBuilder()
            .setData(b.getData().toBuilder().setData(0, ByteString.copyFrom(first)))
            .build();
    assertFails(() -> verifier().verify(tampered), Check.DATA_HASH);
  }

  @Test
  void oneByteOfTheHeaderChangedFailsTheSignature() throws Exception {
    Block b = block(1);
    byte[] prev = b.getHeader().getPreviousHash().toByteArray();
    prev[0] ^= 1;
    Block tampered =
        b.toBuilder()
            .setHeader(b.getHeader().toBuilder().setPreviousHash(ByteString.copyFrom(prev)))
            .build();
    assertFails(() -> verifier().verify(tampered), Check.SIGNATURE_POLICY);
  }

  @Test
  void oneByteOfTheSignatureChangedFailsTheSignature() throws Exception {
    Block b = block(1);
    Metadata m = Metadata.parseFrom(b.getMetadata().getMetadata(0));
    byte[] sig = m.getSignatures(0).getSignature().toByteArray();
    sig[sig.length - 1] ^= 1;
    Metadata tamperedMeta =
        m.toBuilder()
            .setSignatures(0, m.getSignatures(0).toBuilder().setSignature(ByteString.copyFrom(sig)))
            .build();
    Block tampered =
        b.toBuilder()
            .setMetadata(b.getMetadata().toBuilder().setMetadata(0, tamperedMeta.toByteString()))
            .build();
    BlockVerificationException e =
        assertFails(() -> verifier().verify(tampered), Check.SIGNATURE_POLICY);
    assertThat(e.getCause()).isInstanceOf(PolicyNotSatisfiedException.class);
    assertThat(e.getMessage()).contains("BlockValidation").contains("MISMATCH");
  }

  @Test
  void theManagerResolvesAbsoluteAndRelativePaths() throws Exception {
    ConfigGroup channel = channelGroup(block(0));
    PolicyManager policies =
        PolicyManager.forChannel(channel, ChannelMsps.fromChannelGroup(channel), Ecdsa.preferred());
    assertThat(policies.find("/Channel/Writers")).isPresent();
    assertThat(policies.find("/Channel/Application/Readers")).isPresent();
    assertThat(policies.find("/Channel/Application/Org1MSP/Endorsement")).isPresent();
    assertThat(policies.find("Orderer/BlockValidation")).isPresent();
    assertThat(policies.manager("Orderer").orElseThrow().find("Admins")).isPresent();
    assertThat(policies.find("/Channel/Nope")).isEmpty();
    assertThat(policies.find("/Other/Writers")).isEmpty();
    assertThatThrownBy(() -> policies.get("/Channel/Orderer/Nope"))
        .isInstanceOf(UnknownPolicyException.class)
        .hasMessageContaining("/Channel/Orderer/Nope");
    // the orderer's own block signature satisfies /Channel/Writers (ANY of the orgs' Writers)
    policies.get("/Channel/Writers").evaluate(BlockVerifier.signedData(block(1)));
  }

  private static BlockVerificationException assertFails(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Check check) {
    var holder = new BlockVerificationException[1];
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            BlockVerificationException.class,
            e -> {
              assertThat(e.check()).isEqualTo(check);
              holder[0] = e;
            });
    return holder[0];
  }
}

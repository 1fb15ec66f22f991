package io.ordo.cli.blocks;

import static io.ordo.cli.ExpectedErrors.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordo.cli.Cli;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.TestData;
import io.ordo.fabric.json.FabricJson;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlocksInspectCommandTest {
  private static final Path NETWORK = TestData.network();

  private static JsonNode inspect(String file) throws Exception {
    Cli.Result r = Cli.run("blocks", "inspect", NETWORK.resolve(file).toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    return new ObjectMapper().readTree(r.out());
  }

  @Test
  void anOrderedBlockShowsItsHeaderAndDecodedEnvelopes() throws Exception {
    JsonNode block = inspect("block-1.pb");

    assertThat(block.at("/header/number").asText()).isEqualTo("1");
    assertThat(block.at("/data/data")).hasSize(500);
    JsonNode payload = block.at("/data/data/0/payload");
    assertThat(payload.at("/header/channel_header/channel_id").asText()).isEqualTo("mychannel");
    assertThat(payload.at("/header/channel_header/type").asInt()).isEqualTo(3);
    assertThat(payload.at("/header/signature_header/creator/mspid").asText()).isEqualTo("Org1MSP");
    assertThat(block.at("/data/data/0/signature").isTextual()).isTrue();
  }

  @Test
  void randomTransactionBytesStayBase64RatherThanAWrongDecoding() throws Exception {
    // the vectors' transactions carry 1 KB of random data, not a peer.Transaction
    JsonNode data = inspect("block-1.pb").at("/data/data/0/payload/data");
    assertThat(data.isTextual()).isTrue();
    assertThat(java.util.Base64.getDecoder().decode(data.asText())).hasSizeGreaterThan(1000);
  }

  @Test
  void aTransactionIsDecodedOnlyWhenItHasNoFieldItsTypeDoesNotKnow() throws Exception {
    var tx =
        org.hyperledger.fabric.protos.peer.Transaction.newBuilder()
            .addActions(
                org.hyperledger.fabric.protos.peer.TransactionAction.newBuilder()
                    .setPayload(com.google.protobuf.ByteString.copyFromUtf8("not a payload")))
            .build();
    // field 15, varint 1: parses as a Transaction, but with a field it does not have
    var withUnknownField =
        tx.toByteString().concat(com.google.protobuf.ByteString.copyFrom(new byte[] {0x78, 0x01}));

    JsonNode known =
        new ObjectMapper().readTree(new FabricJson().text(endorserBlock(tx.toByteString())));
    JsonNode unknown =
        new ObjectMapper().readTree(new FabricJson().text(endorserBlock(withUnknownField)));

    assertThat(known.at("/data/data/0/payload/data/actions")).hasSize(1);
    assertThat(unknown.at("/data/data/0/payload/data").isTextual()).isTrue();
  }

  private static org.hyperledger.fabric.protos.common.Block endorserBlock(
      com.google.protobuf.ByteString data) {
    var header =
        org.hyperledger.fabric.protos.common.ChannelHeader.newBuilder()
            .setType(org.hyperledger.fabric.protos.common.HeaderType.ENDORSER_TRANSACTION_VALUE)
            .setChannelId("c")
            .build();
    var payload =
        org.hyperledger.fabric.protos.common.Payload.newBuilder()
            .setHeader(
                org.hyperledger.fabric.protos.common.Header.newBuilder()
                    .setChannelHeader(header.toByteString()))
            .setData(data)
            .build();
    var env =
        org.hyperledger.fabric.protos.common.Envelope.newBuilder()
            .setPayload(payload.toByteString())
            .build();
    return org.hyperledger.fabric.protos.common.Block.newBuilder()
        .setHeader(org.hyperledger.fabric.protos.common.BlockHeader.newBuilder().setNumber(9))
        .setData(
            org.hyperledger.fabric.protos.common.BlockData.newBuilder().addData(env.toByteString()))
        .build();
  }

  @Test
  void theSignaturesSlotShowsTheLastConfigAndTheOrdererSigner() throws Exception {
    JsonNode slot = inspect("block-725.pb").at("/metadata/metadata/0");
    assertThat(slot.at("/value/last_config/index").asText()).isEqualTo("0");
    assertThat(slot.at("/signatures/0/signature_header/creator/mspid").asText())
        .isEqualTo("OrdererMSP");
  }

  @Test
  void theGenesisBlockShowsTheConfigTreeDecoded() throws Exception {
    JsonNode group = inspect("block-0.pb").at("/data/data/0/payload/data/config/channel_group");
    JsonNode orderer = group.at("/groups/Orderer");
    JsonNode consensus = orderer.at("/values/ConsensusType/value");
    assertThat(consensus.at("/type").asText()).isEqualTo("etcdraft");
    assertThat(consensus.at("/metadata/consenters")).hasSize(3);
    assertThat(consensus.at("/metadata/consenters/0/port").asInt()).isEqualTo(7051);
    assertThat(orderer.at("/values/BatchSize/value/max_message_count").asInt()).isEqualTo(500);
    assertThat(orderer.at("/groups/OrdererOrg/values/MSP/value/config/name").asText())
        .isEqualTo("OrdererMSP");
    assertThat(orderer.at("/policies/BlockValidation/policy/value/rule").asText()).isEqualTo("ANY");
    assertThat(
            orderer
                .at("/groups/OrdererOrg/policies/Admins/policy/value/identities/0/principal/role")
                .asText())
        .isEqualTo("ADMIN");
    assertThat(group.at("/values/HashingAlgorithm/value/name").asText()).isEqualTo("SHA256");
  }

  /** configtxlator prints {@code null} for a message that is unset or whose bytes are empty. */
  @Test
  void unsetAndEmptyMessagesAreNullAsConfigtxlatorPrintsThem() throws Exception {
    JsonNode genesis = inspect("block-0.pb").at("/data/data/0/payload");
    assertThat(genesis.at("/data/last_update").isNull()).isTrue();
    assertThat(genesis.at("/header/channel_header/extension").isNull()).isTrue();
    assertThat(
            genesis
                .at(
                    "/data/config/channel_group/groups/Orderer/groups/OrdererOrg/values/MSP/value"
                        + "/config/signing_identity")
                .isNull())
        .isTrue();

    JsonNode endorser =
        new ObjectMapper()
            .readTree(
                new FabricJson()
                    .text(
                        endorserBlock(
                            org.hyperledger.fabric.protos.peer.Transaction.getDefaultInstance()
                                .toByteString())))
            .at("/data/data/0/payload");
    assertThat(endorser.at("/header/signature_header").isNull()).isTrue();
    assertThat(endorser.at("/header/channel_header/extension").isNull()).isTrue();
    assertThat(endorser.at("/data").isNull()).isTrue();

    // a consensus type this tool does not decode, with empty metadata (Fabric's own test data)
    JsonNode kafka =
        new ObjectMapper()
            .readTree(
                new FabricJson()
                    .text(
                        org.hyperledger.fabric.protos.common.Block.parseFrom(
                            Files.readAllBytes(
                                TestData.path(
                                    "fabric-v3.0.0-testdata/common-cluster-mychannel.block")))));
    assertThat(
            kafka
                .at(
                    "/data/data/0/payload/data/config/channel_group/groups/Orderer/values"
                        + "/ConsensusType/value/metadata")
                .isNull())
        .isTrue();
  }

  @Test
  void aMissingFileIsOneLine(@TempDir Path dir) {
    String err =
        assertOneLineError(
            Cli.run("blocks", "inspect", dir.resolve("none.pb").toString()), ExitCodes.ERROR);
    assertThat(err).contains("none.pb").contains("does not exist");
  }

  @Test
  void aFileThatIsNotABlockIsOneLine(@TempDir Path dir) throws Exception {
    Path text = Files.writeString(dir.resolve("notes.pb"), "this is not protobuf\n");
    String err = assertOneLineError(Cli.run("blocks", "inspect", text.toString()), ExitCodes.ERROR);
    assertThat(err).contains("notes.pb").contains("is not a block");
  }
}

package io.ordo.fabric.channelconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.ordo.fabric.TestData;
import io.ordo.fabric.block.BlockHashing;
import io.ordo.fabric.block.BlockVerifier;
import io.ordo.fabric.crypto.CryptoProvider;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.crypto.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ChannelConfigTest {
  private static final ChannelConfigLoader LOADER = new ChannelConfigLoader(Ecdsa.preferred());

  static List<Path> testdataBlocks() throws Exception {
    try (var s = Files.list(TestData.fabricTestdata())) {
      List<Path> all = s.sorted().toList();
      assertThat(all).hasSize(5);
      return all;
    }
  }

  static Block read(Path p) throws Exception {
    return Block.parseFrom(Files.readAllBytes(p));
  }

  @ParameterizedTest
  @MethodSource("testdataBlocks")
  void everyTestdataBlockParsesHashesAndItsSignaturesVerify(Path p) throws Exception {
    Block b = read(p);
    assertThat(BlockHashing.dataHash(b.getData()))
        .isEqualTo(b.getHeader().getDataHash().toByteArray());
    Ecdsa ecdsa = new Ecdsa(CryptoProvider.jdk());
    // each signature verifies under its signer's certificate (the block's own channel config is
    // not among the vectors, so the policy cannot be evaluated for block 3)
    for (var sd : BlockVerifier.signedData(b)) {
      var creator = SerializedIdentity.parseFrom(sd.identity());
      ecdsa.verify(
          Pem.certificate(creator.getIdBytes().toByteArray()).getPublicKey(),
          sd.data(),
          sd.signature());
    }
    if (b.getHeader().getNumber() == 0) {
      ChannelConfig c = LOADER.fromConfigBlock(b);
      assertThat(c.hashingAlgorithm()).isEqualTo("SHA256");
      assertThat(c.orderer().orgs()).containsKey("OrdererOrg");
    }
  }

  @Test
  void theEtcdraftGenesisDecodesItsConsentersAndOptions() throws Exception {
    ChannelConfig c =
        LOADER.fromConfigBlock(
            read(TestData.fabricTestdata().resolve("consensus-etcdraft-etcdraftgenesis.block")));
    OrdererConfig o = c.orderer();
    assertThat(o.consensusType()).isEqualTo("etcdraft");
    assertThat(o.etcdRaft().orElseThrow().consenters())
        .extracting(RaftConsenter::endpoint)
        .containsExactly("127.0.0.1:33000", "127.0.0.1:33002", "127.0.0.1:33004");
    RaftOptions opts = o.etcdRaft().orElseThrow().options();
    assertThat(opts.electionTick()).isEqualTo(10);
    assertThat(opts.heartbeatTick()).isEqualTo(1);
    assertThat(opts.maxInflightBlocks()).isEqualTo(256);
    assertThat(opts.snapshotIntervalSize()).isEqualTo(1048576);
    assertThat(o.batchSize()).isEqualTo(new BatchSizeConfig(1, 102760448, 524288));
    assertThat(o.batchTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.application().orElseThrow().orgs().keySet())
        .containsExactlyInAnyOrder("Org1", "Org2");
    assertThat(c.application().orElseThrow().orgs().get("Org1").mspId()).isEqualTo("Org1MSP");
    assertThat(c.capabilities()).containsExactly("V1_3");
  }

  @Test
  void kafkaChannelsWithAnIdemixOrgDecode() throws Exception {
    ChannelConfig c =
        LOADER.fromConfigBlock(
            read(TestData.fabricTestdata().resolve("consensus-etcdraft-mychannel.block")));
    assertThat(c.orderer().consensusType()).isEqualTo("kafka");
    assertThat(c.orderer().etcdRaft()).isEmpty();
    assertThat(c.ordererAddresses()).containsExactly("orderer.example.com:7050");
    assertThat(c.application().orElseThrow().orgs().get("Org3MSP").msp()).isEmpty();
    assertThat(c.msps().msp("Org1MSP")).isPresent();
  }

  @Test
  void theSmartBftChannelDecodesItsOrgEndpointsAndAnchorPeers() throws Exception {
    ChannelConfig c =
        LOADER.fromConfigBlock(
            read(TestData.fabricTestdata().resolve("consensus-smartbft-mychannel.block")));
    assertThat(c.orderer().consensusType()).isEqualTo("BFT");
    assertThat(c.orderer().batchSize().maxMessageCount()).isEqualTo(10);
    assertThat(c.orderer().orgs().get("OrdererOrg").endpoints())
        .containsExactly("127.0.0.1:6050", "127.0.0.1:6051", "127.0.0.1:6052");
    assertThat(c.application().orElseThrow().orgs().get("Org1MSP").anchorPeers())
        .containsExactly("127.0.0.1:7051");
  }

  @Test
  void theNetworkGenesisDecodesAsItsConfigtxYamlSays() throws Exception {
    ChannelConfig c = LOADER.fromConfigBlock(read(TestData.network().resolve("block-0.pb")));
    assertThat(c.capabilities()).containsExactly("V3_0");
    assertThat(c.ordererAddresses()).isEmpty();
    OrdererConfig o = c.orderer();
    assertThat(o.capabilities()).containsExactly("V2_0");
    assertThat(o.consensusState()).isEqualTo(ConsensusType.State.STATE_NORMAL);
    assertThat(o.batchSize())
        .isEqualTo(new BatchSizeConfig(500, 10 * 1024 * 1024, 2 * 1024 * 1024));
    assertThat(o.batchTimeout()).isEqualTo(Duration.ofSeconds(2));
    EtcdRaftConfig raft = o.etcdRaft().orElseThrow();
    assertThat(raft.consenters())
        .extracting(RaftConsenter::endpoint)
        .containsExactly("127.0.0.1:7051", "127.0.0.1:7061", "127.0.0.1:7071");
    byte[] tls1 =
        Files.readAllBytes(
            TestData.network()
                .resolve(
                    "crypto/ordererOrganizations/example.com/orderers/orderer1.example.com/tls/server.crt"));
    assertThat(raft.consenters().get(0).clientTlsCert()).isEqualTo(tls1);
    assertThat(raft.consenters().get(0).serverTlsCert()).isEqualTo(tls1);
    assertThat(raft.options())
        .isEqualTo(new RaftOptions(Duration.ofMillis(500), 10, 1, 5, 16 * 1024 * 1024));
    assertThat(o.orgs().get("OrdererOrg").endpoints())
        .containsExactly("127.0.0.1:7050", "127.0.0.1:7060", "127.0.0.1:7070");
    assertThat(c.application().orElseThrow().capabilities()).containsExactly("V2_5");
    assertThat(c.application().orElseThrow().orgs().keySet()).containsExactly("Org1MSP");
    assertThat(c.application().orElseThrow().acls()).isEmpty(); // its configtx.yaml defines no ACLs
    assertThat(c.sequence()).isZero();
  }

  @Test
  void badValuesAreRefusedWithTheirConfigPath() throws Exception {
    Config good = ChannelConfigLoader.configOf(read(TestData.network().resolve("block-0.pb")));
    Config zeroBatch =
        withOrdererValue(
            good,
            "BatchSize",
            BatchSize.newBuilder().setAbsoluteMaxBytes(10).build().toByteString());
    assertThatThrownBy(() -> LOADER.load(zeroBatch))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.path()).isEqualTo("/Channel/Orderer/BatchSize"))
        .hasMessageContaining("max_message_count");
    Config garbled =
        withOrdererValue(good, "BatchTimeout", ByteString.copyFrom(new byte[] {0x0a, 9}));
    assertThatThrownBy(() -> LOADER.load(garbled))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.path()).isEqualTo("/Channel/Orderer/BatchTimeout"));
    Config badTimeout =
        withOrdererValue(
            good,
            "BatchTimeout",
            org.hyperledger.fabric.protos.orderer.BatchTimeout.newBuilder()
                .setTimeout("soon")
                .build()
                .toByteString());
    assertThatThrownBy(() -> LOADER.load(badTimeout))
        .hasMessageStartingWith("/Channel/Orderer/BatchTimeout");
    var caps =
        org.hyperledger.fabric.protos.common.Capabilities.newBuilder()
            .putCapabilities(
                "V9_9", org.hyperledger.fabric.protos.common.Capability.getDefaultInstance())
            .build();
    Config unknownCap = withOrdererValue(good, "Capabilities", caps.toByteString());
    assertThatThrownBy(() -> LOADER.load(unknownCap))
        .hasMessageStartingWith("/Channel/Orderer/Capabilities")
        .hasMessageContaining("V9_9");
  }

  @Test
  void etcdraftOptionRulesForUpdates() {
    var ok =
        org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata.newBuilder()
            .setOptions(
                org.hyperledger.fabric.protos.orderer.etcdraft.Options.newBuilder()
                    .setTickInterval("500ms")
                    .setElectionTick(10)
                    .setHeartbeatTick(1)
                    .setMaxInflightBlocks(5))
            .build();
    ChannelConfigLoader.checkOptions("/x", ok);
    var equalTicks =
        ok.toBuilder().setOptions(ok.getOptions().toBuilder().setElectionTick(1)).build();
    assertThatThrownBy(() -> ChannelConfigLoader.checkOptions("/x", equalTicks))
        .hasMessageContaining("ElectionTick");
    var noTick =
        ok.toBuilder().setOptions(ok.getOptions().toBuilder().setTickInterval("0s")).build();
    assertThatThrownBy(() -> ChannelConfigLoader.checkOptions("/x", noTick))
        .hasMessageContaining("TickInterval");
    assertThat(GoDuration.parse("1h2m3.5s")).isEqualTo(Duration.ofSeconds(3723, 500_000_000));
  }

  private static Config withOrdererValue(Config config, String key, ByteString value) {
    ConfigGroup channel = config.getChannelGroup();
    ConfigGroup orderer = channel.getGroupsOrThrow("Orderer");
    ConfigValue v =
        orderer.getValuesOrDefault(key, ConfigValue.getDefaultInstance()).toBuilder()
            .setValue(value)
            .build();
    return config.toBuilder()
        .setChannelGroup(
            channel.toBuilder().putGroups("Orderer", orderer.toBuilder().putValues(key, v).build()))
        .build();
  }
}

package io.ordo.fabric.genesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordo.fabric.TestData;
import io.ordo.fabric.TestOrg;
import io.ordo.fabric.block.BlockHashing;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.configtx.ConfigElement;
import io.ordo.fabric.configtx.ConfigMap;
import io.ordo.fabric.envelope.TxIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenesisTest {
  private static final Path NETWORK = TestData.network();
  private static final ChannelConfigLoader LOADER = new ChannelConfigLoader(TestOrg.ECDSA);

  private static Block fabricGenesis() throws Exception {
    return Block.parseFrom(Files.readAllBytes(NETWORK.resolve("block-0.pb")));
  }

  private static Block ours() {
    ConfigGroup group =
        new ChannelGroupEncoder(ConfigtxYaml.read(NETWORK.resolve("configtx.yaml")))
            .channelGroup("AppChannelEtcdRaft");
    return GenesisBlocks.create("mychannel", group, new SecureRandom(), Instant.now());
  }

  @Test
  void theConfigTreeEqualsConfigtxgensValueForValueAndPolicyForPolicy() throws Exception {
    ConfigGroup expected = ChannelConfigLoader.configOf(fabricGenesis()).getChannelGroup();
    ConfigGroup actual = ChannelConfigLoader.configOf(ours()).getChannelGroup();
    Map<String, ConfigElement> e = ConfigMap.of(expected, "Channel");
    Map<String, ConfigElement> a = ConfigMap.of(actual, "Channel");
    assertThat(a.keySet()).isEqualTo(e.keySet());
    List<String> differing = new ArrayList<>();
    for (String key : new TreeSet<>(e.keySet())) {
      Object x = e.get(key).element();
      Object y = a.get(key).element();
      if (x instanceof ConfigGroup gx && y instanceof ConfigGroup gy) {
        x = gx.toBuilder().clearGroups().clearValues().clearPolicies().build();
        y = gy.toBuilder().clearGroups().clearValues().clearPolicies().build();
      }
      if (!x.equals(y)) {
        differing.add(key + "\n fabric: " + x + "\n ours:   " + y);
      }
    }
    assertThat(differing).isEmpty();
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void theBlockHasTheGenesisLayout() throws Exception {
    Block fabric = fabricGenesis();
    Block b = ours();
    assertThat(b.getHeader().getNumber()).isZero();
    assertThat(b.getHeader().getPreviousHash().isEmpty()).isTrue();
    assertThat(b.getHeader().getDataHash().toByteArray())
        .isEqualTo(BlockHashing.dataHash(b.getData()));
    assertThat(b.getMetadata()).isEqualTo(fabric.getMetadata());

    Envelope env = Envelope.parseFrom(b.getData().getData(0));
    Envelope fabricEnv = Envelope.parseFrom(fabric.getData().getData(0));
    assertThat(env.getSignature()).isEqualTo(fabricEnv.getSignature());
    Payload p = Payload.parseFrom(env.getPayload());
    Payload fp = Payload.parseFrom(fabricEnv.getPayload());
    ChannelHeader ch = ChannelHeader.parseFrom(p.getHeader().getChannelHeader());
    ChannelHeader fch = ChannelHeader.parseFrom(fp.getHeader().getChannelHeader());
    SignatureHeader sh = SignatureHeader.parseFrom(p.getHeader().getSignatureHeader());
    assertThat(sh.getCreator().isEmpty()).isTrue();
    assertThat(sh.getNonce().size()).isEqualTo(24);
    assertThat(ch.getTxId()).isEqualTo(TxIds.compute(sh.getNonce().toByteArray(), new byte[0]));
    assertThat(ch.getTimestamp().getNanos()).isZero();
    var withoutVolatile =
        (java.util.function.UnaryOperator<ChannelHeader>)
            h -> h.toBuilder().clearTxId().clearTimestamp().build();
    assertThat(withoutVolatile.apply(ch)).isEqualTo(withoutVolatile.apply(fch));
    ConfigEnvelope ce = ConfigEnvelope.parseFrom(p.getData());
    assertThat(ce.hasLastUpdate()).isFalse();
    assertThat(ce.getConfig().getSequence()).isZero();

    ChannelConfig config = LOADER.fromConfigBlock(b);
    assertThat(config.orderer().etcdRaft().orElseThrow().consenters()).hasSize(3);
    assertThat(config.orderer().batchTimeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aProfileWithoutTheOrdererBlockValidationPolicyIsRefused(@TempDir Path dir) throws Exception {
    String yaml =
        Files.readString(NETWORK.resolve("configtx.yaml"))
            .replaceFirst("\\n\\s*BlockValidation: \\{[^}]*\\}", "");
    Path copy = dir.resolve("configtx.yaml");
    Files.writeString(copy, yaml);
    // the crypto paths stay relative to the original folder
    Files.createSymbolicLink(dir.resolve("crypto"), NETWORK.resolve("crypto"));
    var encoder = new ChannelGroupEncoder(ConfigtxYaml.read(copy));
    assertThatThrownBy(() -> encoder.channelGroup("AppChannelEtcdRaft"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Profiles.AppChannelEtcdRaft.Orderer: no BlockValidation policy");
  }

  @Test
  void goDurationsAreWrittenAsGoPrintsThem() {
    assertThat(GoDurationText.format(Duration.ofSeconds(2))).isEqualTo("2s");
    assertThat(GoDurationText.format(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(GoDurationText.format(Duration.ofMinutes(1))).isEqualTo("1m0s");
    assertThat(GoDurationText.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(GoDurationText.format(Duration.ofHours(1).plusSeconds(1))).isEqualTo("1h0m1s");
  }

  @Test
  void byteSizesAreBinaryMultiples() {
    assertThat(ByteSizes.parse("x", "10 MB")).isEqualTo(10L << 20);
    assertThat(ByteSizes.parse("x", "512 KB")).isEqualTo(512L << 10);
    assertThat(ByteSizes.parse("x", "99")).isEqualTo(99);
    assertThatThrownBy(() -> ByteSizes.parse("Orderer.BatchSize", "ten"))
        .hasMessageContaining("Orderer.BatchSize");
  }
}

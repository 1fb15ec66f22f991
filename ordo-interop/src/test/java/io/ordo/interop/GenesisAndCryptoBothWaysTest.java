package io.ordo.interop;

import static io.ordo.interop.OrdererKind.FABRIC;
import static io.ordo.interop.OrdererKind.ORDO;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 2 of the interop suite, genesis and crypto both ways: cryptogen and {@code ordo crypto
 * generate} write the same tree (files, folders and certificate fields, with NodeOUs on and off);
 * configtxgen and {@code ordo genesis} write the same channel config from one configtx.yaml;
 * Fabric's orderer runs a channel from Ordo's material and genesis block, and Ordo one from
 * Fabric's.
 */
@InteropTest
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class GenesisAndCryptoBothWaysTest {

  @Test
  void cryptogenAndOrdoWriteTheSameTree(Stage stage) throws IOException {
    for (boolean nodeOus : List.of(true, false)) {
      Path dir = stage.dir("crypto-" + (nodeOus ? "nodeous" : "no-nodeous"));
      Path config = CryptoConfigYaml.write(dir.resolve("crypto-config.yaml"), 3, nodeOus);
      Path fabric = dir.resolve("cryptogen");
      Path ordo = dir.resolve("ordo");
      stage.fabricTools().cryptogen(config, fabric);
      stage
          .ordoTools()
          .run(
              List.of(
                  "crypto", "generate", "--config", config.toString(), "--output", ordo.toString()))
          .requireSuccess();

      Set<String> tree = tree(fabric);
      assertThat(tree(ordo)).as("files and folders, NodeOUs %s", nodeOus).isEqualTo(tree);
      for (String f : tree) {
        if (f.endsWith(".pem") || f.endsWith(".crt")) {
          assertThat(CertificateFields.of(ordo.resolve(f)))
              .as("%s, NodeOUs %s", f, nodeOus)
              .isEqualTo(CertificateFields.of(fabric.resolve(f)));
        } else if (f.endsWith("priv_sk") || f.endsWith(".key")) {
          assertThat(Files.readString(ordo.resolve(f)))
              .as("%s is a PKCS#8 key as cryptogen writes it", f)
              .startsWith("-----BEGIN PRIVATE KEY-----");
        } else if (f.endsWith("config.yaml")) {
          assertThat(ordo.resolve(f)).as(f).hasSameTextualContentAs(fabric.resolve(f));
        }
      }
    }
  }

  @Test
  void configtxgenAndOrdoGenesisWriteTheSameConfig(Stage stage) {
    Network net = Network.on(stage).orderers(FABRIC, ORDO, ORDO).build();
    Path ordoBlock = net.dir().resolve("ordo-genesis.block");
    stage
        .ordoTools()
        .run(
            List.of(
                "genesis",
                "--configPath",
                net.dir().toString(),
                "--profile",
                ConfigtxYaml.PROFILE,
                "--channelID",
                net.channel(),
                "--outputBlock",
                ordoBlock.toString()))
        .requireSuccess();
    Block fabric = Chains.read(net.genesisBlock());
    Block ordo = Chains.read(ordoBlock);
    assertThat(ordo.getHeader().getNumber()).isZero();
    assertThat(ordo.getHeader().getPreviousHash()).isEqualTo(fabric.getHeader().getPreviousHash());
    assertThat(ordo.getData().getDataCount()).isEqualTo(1);
    assertThat(config(ordo)).isEqualTo(config(fabric));
    ChannelHeader o = channelHeader(ordo);
    ChannelHeader f = channelHeader(fabric);
    assertThat(o.getType()).isEqualTo(f.getType());
    assertThat(o.getChannelId()).isEqualTo(f.getChannelId());
    assertThat(o.getVersion()).isEqualTo(f.getVersion());
    assertThat(o.getEpoch()).isEqualTo(f.getEpoch());
    assertThat(ordo.getMetadata().getMetadataCount())
        .isEqualTo(fabric.getMetadata().getMetadataCount());
  }

  @Test
  void fabricsOrdererRunsAChannelFromOrdosMaterialAndGenesisBlock(Stage stage) {
    runsAChannel(
        stage, Network.on(stage).orderers(FABRIC).crypto(Maker.ORDO).genesis(Maker.ORDO).build());
  }

  @Test
  void ordoRunsAChannelFromCryptogenAndConfigtxgen(Stage stage) {
    runsAChannel(
        stage, Network.on(stage).orderers(ORDO).crypto(Maker.FABRIC).genesis(Maker.FABRIC).build());
  }

  private static void runsAChannel(Stage stage, Network net) {
    net.startAll();
    net.joinAll();
    net.awaitLeader(net.orderers());
    Load.bench(stage, net, net.orderers(), 300, Duration.ofMinutes(2));
    assertThat(Chains.assertIdentical(stage, net, net.orderers(), Duration.ofMinutes(1)))
        .isGreaterThan(1);
  }

  private static Set<String> tree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> !p.equals(root))
          .map(p -> root.relativize(p) + (Files.isDirectory(p) ? "/" : ""))
          .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }
  }

  private static Payload payload(Block b) throws IOException {
    return Payload.parseFrom(Envelope.parseFrom(b.getData().getData(0)).getPayload());
  }

  private static org.hyperledger.fabric.protos.common.Config config(Block b) {
    try {
      return ConfigEnvelope.parseFrom(payload(b).getData()).getConfig();
    } catch (IOException e) {
      throw new IllegalStateException("not a config block", e);
    }
  }

  private static ChannelHeader channelHeader(Block b) {
    try {
      return ChannelHeader.parseFrom(payload(b).getHeader().getChannelHeader());
    } catch (IOException e) {
      throw new IllegalStateException("no channel header", e);
    }
  }
}

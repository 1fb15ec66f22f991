package io.ordo.cli.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.fabric.genesis.ChannelGroupEncoder;
import io.ordo.fabric.genesis.ConfigtxYaml;
import io.ordo.orderer.config.LocalConfig;
import io.ordo.orderer.config.LocalConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkLayoutTest {
  @Test
  void theGeneratedFilesNameNoAbsolutePathSoTheFolderCanMove(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("net");
    NetworkLayout layout =
        new NetworkLayout(dir, List.of(new NetworkLayout.NodePorts(20001, 20002, 20003, 20004)));
    layout.write(1, new SecureRandom());
    for (Path f : List.of(dir.resolve("configtx.yaml"), layout.ordererYaml(1))) {
      assertThat(Files.readString(f)).as("%s", f).doesNotContain(tmp.toString());
    }

    Path moved = tmp.resolve("elsewhere");
    Files.move(dir, moved);
    LocalConfig node =
        new LocalConfigLoader(Map.of(), moved).read(moved.resolve("nodes/orderer1/orderer.yaml"));
    assertThat(node.general().tls().certificate().orElseThrow()).isRegularFile().startsWith(moved);
    assertThat(node.general().localMspDir().resolve("signcerts")).isDirectory();
    assertThat(node.admin().tls().clientRootCas()).allSatisfy(p -> assertThat(p).isRegularFile());
    assertThat(node.fileLedger().location()).startsWithRaw(moved.resolve("nodes/orderer1"));
    ConfigtxYaml configtx = ConfigtxYaml.read(moved.resolve("configtx.yaml"));
    assertThat(new ChannelGroupEncoder(configtx).channelGroup(NetworkLayout.PROFILE)).isNotNull();
  }
}

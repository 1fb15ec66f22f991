package io.ordo.interop;

import static io.ordo.interop.OrdererKind.FABRIC;
import static io.ordo.interop.OrdererKind.ORDO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 1 of the interop suite, Fabric's files as they are: an Ordo node starts from Fabric's
 * unedited sample orderer.yaml ({@code FABRIC_CFG_PATH}) and the variables Fabric's test network
 * sets, exactly as a Fabric orderer beside it does, and they order a channel together; a file
 * holding every key Fabric v3.0 reads (the deprecated ones too) starts both; and both refuse the
 * system channel bootstrap asked for through the deprecated {@code General.GenesisMethod}.
 */
@InteropTest
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class FabricFilesAsTheyAreTest {
  private static final Pattern PRINTED_KEY =
      Pattern.compile("^\\s+([A-Za-z0-9.]+) = ", Pattern.MULTILINE);

  @Test
  void ordoRunsFromFabricsSampleConfigAndTheTestNetworksVariables(Stage stage) {
    Network net = Network.on(stage).orderers(FABRIC, ORDO).build();
    OrdererNode fabric = net.orderer(1);
    OrdererNode ordo = net.orderer(2);
    // beside them only what bin/ordo sets for every node (node-jvm.options), no orderer setting
    Map<String, String> ordoEnvironment = new HashMap<>(ordo.daemon().environment());
    OrdoJar.nodeEnvironment().forEach(ordoEnvironment::remove);
    assertThat(ordoEnvironment)
        .as("the Ordo node is started with exactly the Fabric node's variables")
        .containsOnlyKeys(fabric.daemon().environment().keySet())
        .containsEntry("FABRIC_CFG_PATH", stage.fabric().config().toString());

    net.startAll();
    assertThat(ordo.daemon().tail(400))
        .as("Fabric's sample and the test network's variables ask for nothing Ordo leaves undone")
        .isNotEmpty()
        .noneMatch(line -> line.contains("does not act on"));
    net.joinAll();
    net.awaitLeader(net.orderers());
    Load.bench(stage, net, net.orderers(), 500, Duration.ofMinutes(3));
    long height = Chains.assertIdentical(stage, net, net.orderers(), Duration.ofMinutes(1));
    assertThat(height).isGreaterThan(1);
  }

  @Test
  void everyKeyFabricReadsStartsBoth(Stage stage) {
    Path dir = stage.dir("every-key");
    Path file = EveryKeyOrdererYaml.write(dir);
    Network net =
        Network.on(stage)
            .orderers(FABRIC, ORDO)
            .extraEnvironment(Map.of("FABRIC_CFG_PATH", dir.toString()))
            .build();
    net.startAll();

    Set<String> printed = new TreeSet<>();
    Matcher m = PRINTED_KEY.matcher(String.join("\n", net.orderer(1).daemon().tail(400)));
    while (m.find()) {
      printed.add(EveryKeyOrdererYaml.yamlKey(m.group(1)));
    }
    printed.remove("consensus"); // a free-form map: its keys are the etcdraft ones in the file
    assertThat(printed).as("the keys Fabric's orderer printed at start-up").hasSizeGreaterThan(60);
    assertThat(EveryKeyOrdererYaml.keys(file)).containsAll(printed);
  }

  @Test
  void bothRefuseTheSystemChannelThroughTheDeprecatedGenesisMethod(Stage stage) {
    Path dir = stage.dir("genesis-method-file");
    EveryKeyOrdererYaml.writeDeprecatedFileBootstrap(dir);
    Network net =
        Network.on(stage)
            .orderers(FABRIC, ORDO)
            .extraEnvironment(Map.of("FABRIC_CFG_PATH", dir.toString()))
            .withoutEnvironment(Set.of("ORDERER_GENERAL_BOOTSTRAPMETHOD"))
            .build();
    for (OrdererNode n : net.orderers()) {
      Daemon d = n.startOnly();
      int code =
          await()
              .atMost(OrdererNode.START_TIMEOUT)
              .pollInterval(Duration.ofMillis(200))
              .until(() -> d.exitCode().orElse(Integer.MIN_VALUE), c -> c != Integer.MIN_VALUE);
      assertThat(code).as("%s exit code", n).isNotZero();
    }
    assertThat(String.join("\n", net.orderer(1).daemon().tail(60)))
        .contains("Bootstrap method: 'file' is forbidden");
    assertThat(String.join("\n", net.orderer(2).daemon().tail(20)))
        .contains("General.BootstrapMethod")
        .contains("'file'");
  }
}

package io.ordo.cli.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordo.cli.CommandFailedException;
import io.ordo.orderer.localnet.LoopbackPorts;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NetworkPortsTest {
  private final LoopbackPorts freePorts = new LoopbackPorts(new Random(1));

  @Test
  void allFreeGivesFabricsTestNetworkPorts() {
    List<NetworkLayout.NodePorts> ports =
        NetworkPorts.choose(3, NetworkPorts.Choice.auto, port -> true, freePorts);

    assertThat(ports)
        .containsExactly(
            new NetworkLayout.NodePorts(7050, 7055, 7053, 9443),
            new NetworkLayout.NodePorts(8050, 8055, 8053, 9444),
            new NetworkLayout.NodePorts(9050, 9055, 9053, 9445));
  }

  @Test
  void oneBusyPortGivesFreePortsToEveryNode() {
    List<NetworkLayout.NodePorts> ports =
        NetworkPorts.choose(3, NetworkPorts.Choice.auto, port -> port != 9444, freePorts);

    assertThat(ports).hasSize(3);
    assertThat(ports)
        .allSatisfy(
            p -> {
              assertThat(p.client()).isGreaterThanOrEqualTo(20_000);
              assertThat(p.operations()).isGreaterThanOrEqualTo(20_000);
            });
  }

  @Test
  void fabricPortsAreAnErrorNamingTheBusyPortAndFreeNeverTakesThem() {
    assertThatThrownBy(
            () -> NetworkPorts.choose(3, NetworkPorts.Choice.fabric, p -> p != 8053, freePorts))
        .isInstanceOf(CommandFailedException.class)
        .hasMessage("--ports fabric: port 8053 is in use; use --ports auto or free");
    assertThat(NetworkPorts.choose(2, NetworkPorts.Choice.free, p -> true, freePorts))
        .noneMatch(p -> p.client() == 7050 || p.client() == 8050);
    assertThat(NetworkPorts.choose(6, NetworkPorts.Choice.auto, p -> true, freePorts))
        .noneMatch(p -> p.client() == 7050);
  }
}

package io.ordo.orderer.localnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {
  @Test
  void portsAreDistinctBelowTheEphemeralRangeAndFree() throws Exception {
    long seed = new Random().nextLong();
    System.out.println("LoopbackPortsTest seed " + seed);
    LoopbackPorts ports = new LoopbackPorts(new Random(seed), 32_768);
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      int port = ports.next();
      assertThat(port).isBetween(20_000, 32_767);
      assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertThat(s.getLocalPort()).isEqualTo(port);
      }
    }
  }
}

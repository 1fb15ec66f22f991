package io.ordo.dist;

import io.ordo.orderer.localnet.LoopbackPorts;
import java.util.Random;

/** Loopback ports for the nodes the tests start (never Fabric's well-known ones, often taken). */
final class FreePorts {
  private static final LoopbackPorts PORTS = new LoopbackPorts(new Random());

  private FreePorts() {}

  static int next() {
    return PORTS.next();
  }
}

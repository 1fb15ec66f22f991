package io.ordo.orderer.it;

import io.ordo.orderer.server.LoopbackPorts;

/** The four loopback ports of one node, chosen once so that a restart listens on the same ones. */
record NodePorts(int general, int cluster, int admin, int operations) {
  static NodePorts free(LoopbackPorts ports) {
    return new NodePorts(ports.next(), ports.next(), ports.next(), ports.next());
  }
}

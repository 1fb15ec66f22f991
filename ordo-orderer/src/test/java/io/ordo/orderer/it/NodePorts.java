package io.ordo.orderer.it;

import io.ordo.orderer.localnet.LoopbackPorts;

/**
 * The loopback ports of one node, chosen once so that a restart listens on the same ones.
 *
 * @param consenter the port the channel's consenter endpoint names for this node: its cluster port,
 *     or the port of a proxy in front of it
 */
record NodePorts(int general, int cluster, int admin, int operations, int consenter) {
  static NodePorts free(LoopbackPorts ports, boolean proxiedCluster) {
    int general = ports.next();
    int cluster = ports.next();
    int admin = ports.next();
    int operations = ports.next();
    return new NodePorts(
        general, cluster, admin, operations, proxiedCluster ? ports.next() : cluster);
  }
}

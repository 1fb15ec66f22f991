package io.ordo.orderer.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** The four loopback ports of one node, chosen once so that a restart listens on the same ones. */
record NodePorts(int general, int cluster, int admin, int operations) {
  static NodePorts free() {
    return new NodePorts(freePort(), freePort(), freePort(), freePort());
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}

package io.ordo.cli.network;

import io.ordo.cli.CommandFailedException;
import io.ordo.orderer.localnet.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;

/**
 * The ports of a local network. Fabric's test network puts its orderers at 7050 (client), 7053
 * (admin) and 9443 (operations), the next orderers at 8050/8053/9444, 9050/9053/9445 and so on, and
 * Fabric's documentation writes its commands against those; so a network takes them when every one
 * is free, and otherwise free ports for every node, so that one network never mixes the two.
 * Fabric's orderers share the client port with the cluster; Ordo's layout gives the cluster its own
 * listener, at 7055 and the same steps, a port Fabric's test network leaves unused.
 */
final class NetworkPorts {
  /** How many nodes fit the well-known scheme before its ports reach other services'. */
  static final int MAX_WELL_KNOWN_NODES = 5;

  private NetworkPorts() {}

  /** How {@code --ports} chooses. */
  enum Choice {
    /** Fabric's ports when all are free, else free ports. */
    auto,
    /** Fabric's ports, or an error naming the first one in use. */
    fabric,
    /** Free ports, never Fabric's. */
    free
  }

  /** Node {@code k} (0-based) of the well-known scheme. */
  static NetworkLayout.NodePorts wellKnown(int k) {
    return new NetworkLayout.NodePorts(7050 + 1000 * k, 7055 + 1000 * k, 7053 + 1000 * k, 9443 + k);
  }

  static List<NetworkLayout.NodePorts> choose(int nodes, Choice choice) {
    return choose(nodes, choice, NetworkPorts::free, new LoopbackPorts(new Random()));
  }

  static List<NetworkLayout.NodePorts> choose(
      int nodes, Choice choice, IntPredicate isFree, LoopbackPorts freePorts) {
    if (choice != Choice.free) {
      List<NetworkLayout.NodePorts> known = new ArrayList<>();
      int busy = -1;
      for (int k = 0; k < nodes && k < MAX_WELL_KNOWN_NODES; k++) {
        NetworkLayout.NodePorts p = wellKnown(k);
        known.add(p);
        for (int port : new int[] {p.client(), p.cluster(), p.admin(), p.operations()}) {
          if (busy < 0 && !isFree.test(port)) {
            busy = port;
          }
        }
      }
      if (nodes <= MAX_WELL_KNOWN_NODES && busy < 0) {
        return known;
      }
      if (choice == Choice.fabric) {
        throw new CommandFailedException(
            nodes > MAX_WELL_KNOWN_NODES
                ? "--ports fabric takes at most " + MAX_WELL_KNOWN_NODES + " nodes"
                : "--ports fabric: port " + busy + " is in use; use --ports auto or free");
      }
    }
    return freeFor(nodes, freePorts);
  }

  private static List<NetworkLayout.NodePorts> freeFor(int nodes, LoopbackPorts free) {
    List<NetworkLayout.NodePorts> out = new ArrayList<>();
    try {
      for (int i = 0; i < nodes; i++) {
        out.add(new NetworkLayout.NodePorts(free.next(), free.next(), free.next(), free.next()));
      }
    } catch (UncheckedIOException e) {
      throw new CommandFailedException("cannot find a free loopback port: " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Whether nothing listens on {@code port}: a bind to every address fails when any one of them,
   * loopback included, has a listener there.
   */
  private static boolean free(int port) {
    try (ServerSocket any = new ServerSocket(port)) {
      return any.isBound();
    } catch (IOException e) {
      return false;
    }
  }
}

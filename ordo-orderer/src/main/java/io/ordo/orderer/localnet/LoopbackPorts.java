package io.ordo.orderer.localnet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * Chooses loopback ports for nodes that will listen later (a local network, tests). A port the
 * kernel hands out for "any free port" lies in its ephemeral range, the same range it takes the
 * local ports of outgoing connections from: in the time between choosing and listening, a
 * connection may take it. These ports are chosen below that range instead, checked free by binding,
 * and never handed out twice by one instance.
 */
public final class LoopbackPorts {
  private static final int LOWEST = 20_000;
  private static final int DEFAULT_EPHEMERAL_START = 32_768;
  private static final int ATTEMPTS = 1_000;

  private final Random random;
  private final int end;
  private final Set<Integer> handedOut = new HashSet<>();

  public LoopbackPorts(Random random) {
    this(random, ephemeralStart());
  }

  LoopbackPorts(Random random, int ephemeralStart) {
    this.random = random;
    this.end = Math.max(LOWEST + 1_000, ephemeralStart);
  }

  /**
   * A port nothing listens on now.
   *
   * @throws UncheckedIOException when none was found in {@value #ATTEMPTS} tries
   */
  public synchronized int next() {
    for (int i = 0; i < ATTEMPTS; i++) {
      int port = LOWEST + random.nextInt(end - LOWEST);
      if (!handedOut.contains(port) && free(port)) {
        handedOut.add(port);
        return port;
      }
    }
    throw new UncheckedIOException(
        new IOException("no free loopback port between " + LOWEST + " and " + end));
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The first port of Linux's ephemeral range, or the IANA default elsewhere. */
  private static int ephemeralStart() {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    try {
      if (Files.isReadable(range)) {
        return Integer.parseInt(Files.readString(range).trim().split("\\s+")[0]);
      }
    } catch (IOException | RuntimeException e) {
      // fall through to the default
    }
    return DEFAULT_EPHEMERAL_START;
  }
}

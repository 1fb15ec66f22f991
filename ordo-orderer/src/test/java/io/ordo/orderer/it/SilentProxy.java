package io.ordo.orderer.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A TCP proxy on a loopback port in front of one node's cluster port, through which every other
 * node's raft traffic to that node passes (the channel's consenter endpoint names the proxy). It
 * can go silent the way a cut cable or a dropping firewall is silent: it stops forwarding in both
 * directions but keeps every connection open and accepts new ones without forwarding their bytes,
 * so that neither side sees an error, only silence, until it heals and the held bytes flow again.
 *
 * <p>A silent partition of one node is its own proxy silent for everyone (nothing reaches it) and
 * the other nodes' proxies silent for the connections it made (nothing leaves it): {@link
 * #silenceFrom} tells those connections by the process that owns their client end ({@link
 * SocketOwners}), since every node connects from the same loopback address.
 *
 * <p>Chosen over network namespaces and {@code tc}: it needs no privileges, no tool outside the JDK
 * and no change to how the nodes are started, and it cuts exactly the cluster traffic (clients and
 * block pullers still reach every node's client port, as they would a node cut off from its peers
 * only).
 */
final class SilentProxy implements AutoCloseable {
  /** The longest a held chunk waits before it looks again whether the proxy was closed. */
  private static final long HOLD_CHECK_MILLIS = 200;

  private final int targetPort;
  private final ServerSocket server;
  private final Supplier<List<Long>> nodePids;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();
  private volatile boolean silentForAll;
  private volatile OptionalLong silentFrom = OptionalLong.empty();
  private volatile boolean closed;

  /**
   * @param nodePids the pids of the node processes now running: the owners a connection is looked
   *     up among
   */
  SilentProxy(int listenPort, int targetPort, Supplier<List<Long>> nodePids) {
    this.targetPort = targetPort;
    this.nodePids = nodePids;
    try {
      this.server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort));
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on proxy port " + listenPort, e);
    }
    Thread.ofVirtual().name("proxy-" + listenPort).start(this::acceptLoop);
  }

  /** Nothing passes through the proxy, in either direction, until {@link #heal}. */
  void silenceAll() {
    silentForAll = true;
  }

  /** Nothing passes on the connections made by process {@code pid}, until {@link #heal}. */
  void silenceFrom(long pid) {
    silentFrom = OptionalLong.of(pid);
  }

  /** Everything flows again, the bytes held while silent first. */
  void heal() {
    synchronized (gate) {
      silentForAll = false;
      silentFrom = OptionalLong.empty();
      gate.notifyAll();
    }
  }

  private boolean silent(Connection c) {
    OptionalLong from = silentFrom;
    return silentForAll || (from.isPresent() && c.ownerPid == from.getAsLong());
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      long owner =
          SocketOwners.owner(client.getPort(), server.getLocalPort(), nodePids.get()).orElse(-1);
      Socket upstream = new Socket();
      try {
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(upstream);
        continue; // the node is down: the client sees a refused connection, as without a proxy
      }
      Connection c = new Connection(client, upstream, owner);
      connections.add(c);
      Thread.ofVirtual().start(() -> pipe(c, client, upstream));
      Thread.ofVirtual().start(() -> pipe(c, upstream, client));
    }
  }

  private void pipe(Connection c, Socket from, Socket to) {
    byte[] buf = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n; (n = in.read(buf)) >= 0; ) {
        synchronized (gate) {
          while (silent(c) && !closed) {
            gate.wait(HOLD_CHECK_MILLIS); // holds the chunk until heal() or close()
          }
        }
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side closed or reset: the other follows
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      c.close();
      connections.remove(c);
    }
  }

  @Override
  public void close() {
    synchronized (gate) {
      closed = true;
      gate.notifyAll();
    }
    closeQuietly(server);
    connections.forEach(Connection::close);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing anyway
    }
  }

  /** One proxied connection: the accepted client socket, the one to the node, the client's pid. */
  private record Connection(Socket client, Socket upstream, long ownerPid) {
    void close() {
      closeQuietly(client);
      closeQuietly(upstream);
    }
  }
}

package io.ordo.orderer.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A StatsD server's socket on loopback: every line of every datagram it receives. */
public final class UdpLines implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final DatagramSocket socket;
  private final Thread reader;

  public UdpLines() throws SocketException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    reader = Thread.ofVirtual().start(this::read);
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** The lines received so far, in order. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  private void read() {
    byte[] buffer = new byte[65_536];
    while (!socket.isClosed()) {
      DatagramPacket p = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(p);
      } catch (IOException e) {
        return;
      }
      String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        if (!line.isEmpty()) {
          lines.add(line);
        }
      }
    }
  }

  @Override
  public void close() {
    socket.close();
    try {
      reader.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

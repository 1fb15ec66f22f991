package io.ordo.orderer.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Which process holds the client end of a loopback TCP connection, from Linux's {@code
 * /proc/net/tcp} and {@code tcp6} (the socket's inode, by its local and remote ports) and {@code
 * /proc/PID/fd} (which process has that socket open). Every node dials from 127.0.0.1, so the port
 * alone does not tell them apart.
 */
final class SocketOwners {
  private static final List<Path> TABLES =
      List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

  private SocketOwners() {}

  /**
   * The one of {@code pids} that owns the socket connected from {@code clientPort} to {@code
   * serverPort}; empty when none does or /proc cannot tell.
   */
  static OptionalLong owner(int clientPort, int serverPort, List<Long> pids) {
    String inode = inode(clientPort, serverPort);
    if (inode == null) {
      return OptionalLong.empty();
    }
    String link = "socket:[" + inode + "]";
    for (long pid : pids) {
      try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
        if (fds.anyMatch(fd -> link.equals(readLink(fd)))) {
          return OptionalLong.of(pid);
        }
      } catch (IOException e) {
        // the process ended: not the owner
      }
    }
    return OptionalLong.empty();
  }

  /** The inode of the socket whose local port is {@code local} and remote port {@code remote}. */
  private static String inode(int local, int remote) {
    String localEnd = String.format(Locale.ROOT, ":%04X", local);
    String remoteEnd = String.format(Locale.ROOT, ":%04X", remote);
    for (Path table : TABLES) {
      List<String> lines;
      try {
        lines = Files.readAllLines(table);
      } catch (IOException e) {
        continue;
      }
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
        String[] f = line.trim().split("\\s+");
        if (f.length > 9 && f[1].endsWith(localEnd) && f[2].endsWith(remoteEnd)) {
          return f[9];
        }
      }
    }
    return null;
  }

  private static String readLink(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString();
    } catch (IOException | UnsupportedOperationException e) {
      return "";
    }
  }
}

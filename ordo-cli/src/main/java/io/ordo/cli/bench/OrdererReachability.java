package io.ordo.cli.bench;

import io.ordo.cli.CommandFailedException;
import io.ordo.cli.client.OrdererEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

/**
 * Checks that every orderer accepts a connection before the bench signs its transactions: signing a
 * large run takes seconds to minutes, which an operator should not wait through to learn that the
 * network is down.
 */
final class OrdererReachability {
  private OrdererReachability() {}

  /** Fails with one line naming the first endpoint that does not accept a TCP connection. */
  static void check(List<OrdererEndpoint> endpoints, Duration timeout) {
    for (OrdererEndpoint e : endpoints) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(e.host(), e.port()), (int) timeout.toMillis());
      } catch (IOException ex) {
        throw new CommandFailedException(
            "orderer "
                + e
                + " does not answer ("
                + ex.getMessage()
                + "); nothing was signed or sent. Is the network up?",
            ex);
      }
    }
  }
}

package io.ordo.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Load through {@code ordo bench}: signed transactions over Broadcast streams spread over the given
 * orderers in turn, each timed until it is in a block. bench keeps a window of envelopes in flight
 * per stream, which Ordo needs (it answers SUCCESS once an envelope is in a block, Fabric earlier).
 */
final class Load {
  private Load() {}

  /**
   * Sends {@code transactions} through every node of {@code through} and fails unless all are
   * committed within {@code timeout}.
   */
  static ToolResult bench(
      Stage stage, Network net, List<OrdererNode> through, int transactions, Duration timeout) {
    List<String> args = new ArrayList<>(List.of("bench"));
    args.addAll(net.clientFlags(through));
    args.addAll(
        List.of(
            "--tx",
            Integer.toString(transactions),
            "--seed",
            Long.toString(stage.random().nextLong()),
            "--timeout",
            timeout.toSeconds() + "s"));
    return stage.ordoTools().run(args, timeout).requireSuccess();
  }
}

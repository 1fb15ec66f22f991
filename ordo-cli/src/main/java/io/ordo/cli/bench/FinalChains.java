package io.ordo.cli.bench;

import io.ordo.cli.CommandFailedException;
import io.ordo.cli.client.BlockDelivery;
import io.ordo.cli.client.OrdererEndpoint;
import io.ordo.cli.client.OrdererTarget;
import io.ordo.cli.client.SignedEnvelopes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Reads the whole chain of the channel (block 0 to the newest when asked) from every orderer at
 * once, as {@code blocks verify ADDR} does, each into a {@link ChainTally}; an orderer that cannot
 * be reached, refuses, or does not finish within the time left is named with why.
 */
final class FinalChains {
  private FinalChains() {}

  /** The chains of {@code target}'s orderers, in the order given. */
  static List<ChainAudit.NodeChain> read(
      OrdererTarget target, PreparedTransactions txs, Duration within) {
    BlockDelivery delivery = new BlockDelivery(target);
    List<CompletableFuture<ChainAudit.NodeChain>> reads = new ArrayList<>();
    try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (OrdererEndpoint endpoint : target.endpoints()) {
        reads.add(
            CompletableFuture.supplyAsync(() -> read(delivery, endpoint, txs, within), readers));
      }
      return reads.stream().map(CompletableFuture::join).toList();
    }
  }

  private static ChainAudit.NodeChain read(
      BlockDelivery delivery, OrdererEndpoint endpoint, PreparedTransactions txs, Duration within) {
    ChainTally tally = new ChainTally(txs.size(), txs::indexOf);
    try {
      delivery.deliver(
          endpoint, SignedEnvelopes.wholeChain(), "blocks 0 to the newest", within, tally::add);
      return ChainAudit.NodeChain.read(endpoint.toString(), tally);
    } catch (CommandFailedException e) {
      return ChainAudit.NodeChain.unreadable(endpoint.toString(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ChainAudit.NodeChain.unreadable(endpoint.toString(), "interrupted");
    }
  }
}

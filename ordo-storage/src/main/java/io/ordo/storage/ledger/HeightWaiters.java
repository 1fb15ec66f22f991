package io.ordo.storage.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Futures waiting for the ledger to reach a height, completed by the writer once it has published
 * the blocks: no thread waits per reader. A cancelled future leaves at once.
 */
final class HeightWaiters {
  private final TreeMap<Long, List<CompletableFuture<Long>>> byHeight = new TreeMap<>();
  private final String ledger;
  private boolean closed;

  HeightWaiters(String ledger) {
    this.ledger = ledger;
  }

  /** A future of the height once it is at least {@code wanted}; {@code height} is read locked. */
  CompletableFuture<Long> await(long wanted, LongSupplier height) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    synchronized (this) {
      long now = height.getAsLong();
      if (now >= wanted) {
        return CompletableFuture.completedFuture(now);
      }
      if (closed) {
        return CompletableFuture.failedFuture(new LedgerClosedException(ledger));
      }
      byHeight.computeIfAbsent(wanted, k -> new ArrayList<>()).add(f);
    }
    f.whenComplete(
        (h, t) -> {
          if (f.isCancelled()) {
            remove(wanted, f);
          }
        });
    return f;
  }

  /** Completes every waiter the new height satisfies; call after publishing it. */
  void reached(long height) {
    List<CompletableFuture<Long>> ready = new ArrayList<>();
    synchronized (this) {
      Map<Long, List<CompletableFuture<Long>>> head = byHeight.headMap(height, true);
      head.values().forEach(ready::addAll);
      head.clear();
    }
    ready.forEach(f -> f.complete(height));
  }

  void close() {
    List<CompletableFuture<Long>> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      byHeight.values().forEach(all::addAll);
      byHeight.clear();
    }
    all.forEach(f -> f.completeExceptionally(new LedgerClosedException(ledger)));
  }

  synchronized int waiting() {
    return byHeight.values().stream().mapToInt(List::size).sum();
  }

  private synchronized void remove(long wanted, CompletableFuture<Long> f) {
    List<CompletableFuture<Long>> list = byHeight.get(wanted);
    if (list != null && list.remove(f) && list.isEmpty()) {
      byHeight.remove(wanted);
    }
  }
}

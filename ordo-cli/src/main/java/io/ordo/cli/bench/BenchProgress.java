package io.ordo.cli.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What happened to each transaction of a run, written by the Broadcast and Deliver threads: when it
 * was sent, acknowledged and seen in a block (nanoTime, 0 = not yet), and how the run stands.
 * {@link #settled()} completes when every transaction is committed or refused.
 */
final class BenchProgress {
  private final int total;
  private final AtomicLongArray sentAt;
  private final AtomicLongArray ackedAt;
  private final AtomicLongArray committedAt;
  private final AtomicInteger acked = new AtomicInteger();
  private final AtomicInteger committed = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger blocks = new AtomicInteger();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder streamErrors = new LongAdder();
  private final Map<String, AtomicInteger> errorsByStatus = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> settled = new CompletableFuture<>();

  BenchProgress(int total) {
    this.total = total;
    this.sentAt = new AtomicLongArray(total);
    this.ackedAt = new AtomicLongArray(total);
    this.committedAt = new AtomicLongArray(total);
    if (total == 0) {
      settled.complete(null);
    }
  }

  void sent(int index, long now) {
    sentAt.set(index, now);
  }

  void acked(int index, long now) {
    if (ackedAt.compareAndSet(index, 0, now)) {
      acked.incrementAndGet();
    }
  }

  /** The orderer answered {@code status} (not SUCCESS): the transaction will not be committed. */
  void refused(int index, String status) {
    errorsByStatus.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
    refused.incrementAndGet();
    checkSettled();
  }

  /** A Broadcast or Deliver call failed and was opened again. */
  void streamError() {
    streamErrors.increment();
  }

  void block() {
    blocks.incrementAndGet();
  }

  void committed(int index, long now) {
    if (committedAt.compareAndSet(index, 0, now)) {
      committed.incrementAndGet();
      checkSettled();
    } else {
      duplicates.increment(); // sent again after a stream failure, ordered twice
    }
  }

  private void checkSettled() {
    if (committed.get() + refused.get() >= total) {
      settled.complete(null);
    }
  }

  CompletableFuture<Void> settled() {
    return settled;
  }

  int total() {
    return total;
  }

  int ackedCount() {
    return acked.get();
  }

  int committedCount() {
    return committed.get();
  }

  int blockCount() {
    return blocks.get();
  }

  long duplicates() {
    return duplicates.sum();
  }

  long streamErrors() {
    return streamErrors.sum();
  }

  Map<String, Integer> errorsByStatus() {
    Map<String, Integer> out = new TreeMap<>();
    errorsByStatus.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** Transactions acknowledged with SUCCESS and not seen in a block yet. */
  int ackedNotCommitted() {
    int n = 0;
    for (int i = 0; i < total; i++) {
      if (ackedAt.get(i) != 0 && committedAt.get(i) == 0) {
        n++;
      }
    }
    return n;
  }

  long sentAt(int i) {
    return sentAt.get(i);
  }

  long ackedAt(int i) {
    return ackedAt.get(i);
  }

  long committedAt(int i) {
    return committedAt.get(i);
  }
}

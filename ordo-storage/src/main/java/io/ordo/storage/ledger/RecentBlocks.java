package io.ordo.storage.ledger;

import com.google.protobuf.ByteString;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bytes of the newest appended blocks, for the readers that follow the tail (Deliver streams,
 * the chain): with direct writes, a block just written is not in the page cache, and reading it
 * back would cost a disk read and a fresh page. Bounded by count and bytes; the newest block always
 * stays. One thread adds (under the ledger's write lock); any number read.
 */
final class RecentBlocks {
  static final int MAX_BLOCKS = 8;
  static final long MAX_BYTES = 8L << 20;

  private final ConcurrentHashMap<Long, ByteString> blocks = new ConcurrentHashMap<>();
  private final ArrayDeque<Long> order = new ArrayDeque<>();
  private long bytes;

  void add(long number, ByteString block) {
    blocks.put(number, block);
    order.addLast(number);
    bytes += block.size();
    while (order.size() > 1 && (order.size() > MAX_BLOCKS || bytes > MAX_BYTES)) {
      ByteString dropped = blocks.remove(order.removeFirst());
      bytes -= dropped.size();
    }
  }

  /** The block's bytes, or null if it is not among the newest. */
  ByteString get(long number) {
    return blocks.get(number);
  }
}

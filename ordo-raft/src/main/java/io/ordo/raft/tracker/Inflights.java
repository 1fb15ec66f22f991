package io.ordo.raft.tracker;

import java.util.Arrays;

/**
 * The last indexes of the appends sent to one follower and not yet acknowledged, oldest first,
 * limited in count (etcd raft v3.5 does not limit bytes).
 *
 * <p>A ring buffer that grows on demand up to its capacity, so that idle followers of a leader with
 * a large window cost little memory.
 */
public final class Inflights {
  private final int capacity;
  private long[] buffer;
  private int start;
  private int count;

  public Inflights(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("inflights capacity must not be negative: " + capacity);
    }
    this.capacity = capacity;
    this.buffer = new long[0];
  }

  private Inflights(Inflights other) {
    this.capacity = other.capacity;
    this.buffer = other.buffer.clone();
    this.start = other.start;
    this.count = other.count;
  }

  /**
   * Records an append whose last entry is {@code index}. Indexes must be added in increasing order;
   * callers check {@link #full()} first.
   *
   * @throws IllegalStateException when the window is full
   */
  public void add(long index) {
    if (full()) {
      throw new IllegalStateException(
          "cannot add index " + index + " into full inflights (capacity " + capacity + ")");
    }
    int next = start + count;
    if (next >= buffer.length) {
      // Growing re-packs the ring from slot 0, so compute the slot afterwards.
      if (count == buffer.length) {
        grow();
        next = start + count;
      }
      if (next >= buffer.length) {
        next -= buffer.length;
      }
    }
    buffer[next] = index;
    count++;
  }

  private void grow() {
    int size = Math.min(Math.max(1, buffer.length * 2), capacity);
    long[] grown = new long[size];
    for (int i = 0; i < count; i++) {
      grown[i] = buffer[(start + i) % buffer.length];
    }
    buffer = grown;
    start = 0;
  }

  /**
   * Frees the recorded appends from the oldest one up to, not past, the first one above {@code to}:
   * an acknowledgement of index {@code to} covers every append ending at or before it.
   */
  public void freeLE(long to) {
    if (count == 0 || to < buffer[start]) {
      return;
    }
    int idx = start;
    int freed = 0;
    while (freed < count && buffer[idx] <= to) {
      freed++;
      idx++;
      if (idx >= buffer.length) {
        idx -= buffer.length;
      }
    }
    count -= freed;
    // An empty window restarts at slot 0 so that a later add does not need to grow.
    start = count == 0 ? 0 : idx;
  }

  /** Frees the oldest recorded append (and any following one with an index not above it). */
  public void freeFirstOne() {
    if (count > 0) {
      freeLE(buffer[start]);
    }
  }

  /** True when no further append may be sent until some are acknowledged. */
  public boolean full() {
    return count == capacity;
  }

  public int count() {
    return count;
  }

  public int capacity() {
    return capacity;
  }

  /** Forgets every recorded append. */
  public void reset() {
    count = 0;
    start = 0;
  }

  /** An independent copy with the same content. */
  public Inflights copy() {
    return new Inflights(this);
  }

  /** The recorded indexes, oldest first (a copy, for tests and diagnostics). */
  public long[] toArray() {
    long[] out = new long[count];
    for (int i = 0; i < count; i++) {
      out[i] = buffer[(start + i) % buffer.length];
    }
    return out;
  }

  @Override
  public String toString() {
    return "Inflights" + Arrays.toString(toArray()) + "/" + capacity;
  }
}

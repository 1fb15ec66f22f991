package io.ordo.fabric.crypto;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A thread-safe least-recently-used cache with a fixed capacity, as Fabric bounds its caches of
 * deserialised identities and of validation results so that a flood of distinct creators cannot
 * grow memory without limit.
 *
 * <p>Every Broadcast envelope looks up its creator several times from many threads, so a hit takes
 * no lock: it reads a concurrent map and stamps the entry with a use counter. Only an insertion
 * beyond capacity scans for the least recently stamped entry (the capacity is small and misses are
 * rare once the creators are known).
 */
public final class BoundedCache<K, V> {
  private final int capacity;
  private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
  private final AtomicLong uses = new AtomicLong();

  private static final class Entry<V> {
    final V value;
    volatile long lastUse;

    Entry(V value, long lastUse) {
      this.value = value;
      this.lastUse = lastUse;
    }
  }

  public BoundedCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("cache capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
  }

  /** The cached value, if there is one. */
  public V getIfPresent(K key) {
    Entry<V> hit = entries.get(key);
    if (hit == null) {
      return null;
    }
    hit.lastUse = uses.incrementAndGet();
    return hit.value;
  }

  /** The cached value, or the computed one (cached unless it is null). */
  public V get(K key, Function<? super K, ? extends V> compute) {
    Entry<V> hit = entries.get(key);
    if (hit != null) {
      hit.lastUse = uses.incrementAndGet();
      return hit.value;
    }
    // Computed outside any lock: verification is slow and two racing threads computing the same
    // value is harmless.
    V computed = compute.apply(key);
    if (computed != null) {
      entries.put(key, new Entry<>(computed, uses.incrementAndGet()));
      if (entries.size() > capacity) {
        evictLeastRecentlyUsed();
      }
    }
    return computed;
  }

  private synchronized void evictLeastRecentlyUsed() {
    while (entries.size() > capacity) {
      K oldest = null;
      long oldestUse = Long.MAX_VALUE;
      for (Map.Entry<K, Entry<V>> e : entries.entrySet()) {
        if (e.getValue().lastUse < oldestUse) {
          oldestUse = e.getValue().lastUse;
          oldest = e.getKey();
        }
      }
      if (oldest == null) {
        return;
      }
      entries.remove(oldest);
    }
  }

  public int size() {
    return entries.size();
  }

  public int capacity() {
    return capacity;
  }
}

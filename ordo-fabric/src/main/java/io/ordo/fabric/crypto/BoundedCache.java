package io.ordo.fabric.crypto;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A thread-safe least-recently-used cache with a fixed capacity, as Fabric bounds its caches of
 * deserialised identities and of validation results so that a flood of distinct creators cannot
 * grow memory without limit.
 */
public final class BoundedCache<K, V> {
  private final int capacity;
  private final LinkedHashMap<K, V> entries;

  public BoundedCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("cache capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > BoundedCache.this.capacity;
          }
        };
  }

  /** The cached value, or the computed one (cached unless it is null). */
  public V get(K key, Function<? super K, ? extends V> compute) {
    synchronized (entries) {
      V v = entries.get(key);
      if (v != null) {
        return v;
      }
    }
    // Computed outside the lock: verification is slow and two racing threads computing the same
    // value is harmless.
    V computed = compute.apply(key);
    if (computed != null) {
      synchronized (entries) {
        entries.put(key, computed);
      }
    }
    return computed;
  }

  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  public int capacity() {
    return capacity;
  }
}

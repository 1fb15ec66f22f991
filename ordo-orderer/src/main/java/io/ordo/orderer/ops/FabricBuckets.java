package io.ordo.orderer.ops;

import java.time.Duration;
import java.util.Arrays;

/**
 * The bucket bounds, in seconds, of the histograms of Fabric's orderer, as its scrape shows them,
 * so that a dashboard made for Fabric reads Ordo's the same way. For Micrometer timers only: a
 * distribution summary's histogram rounds each value up to a whole number before it finds the
 * bucket, which would put sub-second values in the 1 s bucket.
 */
public enum FabricBuckets {
  /** Prometheus' default buckets: every Fabric histogram not named below. */
  DEFAULT(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
  /** {@code ledger_blockstorage_commit_time} (Fabric's blkstorage). */
  BLOCKSTORAGE_COMMIT(0.005, 0.01, 0.015, 0.05, 0.1, 1, 10),
  /** etcd's WAL and snapshot file histograms: 1 ms doubling to 8.192 s. */
  ETCD_FSYNC(
      0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096,
      8.192),
  /** etcd's {@code etcd_snap_db_save_total_duration_seconds}: 100 ms doubling to 51.2 s. */
  ETCD_SNAP_DB_SAVE(0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 51.2);

  private final double[] seconds;

  FabricBuckets(double... seconds) {
    this.seconds = seconds;
  }

  /** For a Micrometer timer ({@code serviceLevelObjectives(Duration...)}). */
  public Duration[] durations() {
    return Arrays.stream(seconds)
        .mapToObj(s -> Duration.ofNanos(Math.round(s * 1e9)))
        .toArray(Duration[]::new);
  }
}

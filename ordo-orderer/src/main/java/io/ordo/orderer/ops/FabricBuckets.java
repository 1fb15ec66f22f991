package io.ordo.orderer.ops;

import java.time.Duration;
import java.util.Arrays;

/**
 * The buckets of Fabric's histograms: Prometheus' default ones, in seconds. Every duration the node
 * reports as a histogram uses them, so that a dashboard made for Fabric reads Ordo's the same way.
 * They are for Micrometer timers only: a distribution summary's histogram rounds each value up to a
 * whole number before it finds the bucket, which would put sub-second values in the 1 s bucket.
 */
public final class FabricBuckets {
  private static final double[] SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private FabricBuckets() {}

  /** For a Micrometer timer ({@code serviceLevelObjectives(Duration...)}). */
  public static Duration[] durations() {
    return Arrays.stream(SECONDS)
        .mapToObj(s -> Duration.ofNanos(Math.round(s * 1e9)))
        .toArray(Duration[]::new);
  }
}

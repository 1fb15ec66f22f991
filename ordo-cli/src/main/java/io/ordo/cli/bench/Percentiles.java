package io.ordo.cli.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of a set of values. */
final class Percentiles {
  private final long[] sorted;

  Percentiles(long[] values) {
    this.sorted = values.clone();
    Arrays.sort(sorted);
  }

  /** The smallest value at or above {@code p} percent of the values; 0 when there is none. */
  long at(double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }

  long max() {
    return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
  }
}

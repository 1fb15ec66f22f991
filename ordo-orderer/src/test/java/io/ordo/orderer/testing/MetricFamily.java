package io.ordo.orderer.testing;

import java.util.List;
import java.util.SortedSet;

/**
 * One metric family as a scrape shows it: its name, Prometheus type, label names ({@code le} and
 * {@code quantile} aside) and, for a histogram, its bucket bounds ({@code +Inf} aside).
 *
 * @param source where a recorded family came from ("scrape", "reference"); empty for a live scrape
 */
public record MetricFamily(
    String name, String type, SortedSet<String> labels, List<Double> buckets, String source) {
  public MetricFamily {
    labels = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(labels));
    buckets = List.copyOf(buckets);
  }
}

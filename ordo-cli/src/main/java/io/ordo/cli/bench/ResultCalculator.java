package io.ordo.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Turns the times recorded by a run into its {@link BenchResult}. */
final class ResultCalculator {
  /** At most this many intervals in the timeline. */
  static final int MAX_SAMPLES = 120;

  private static final long MIN_INTERVAL_NANOS = 100_000_000L;

  private ResultCalculator() {}

  static BenchResult compute(
      BenchSettings settings, PreparedTransactions txs, BenchProgress progress, boolean timedOut) {
    int n = progress.total();
    long start = Long.MAX_VALUE;
    long lastAck = 0;
    long lastCommit = 0;
    for (int i = 0; i < n; i++) {
      long s = progress.sentAt(i);
      if (s != 0) {
        start = Math.min(start, s);
      }
      lastAck = Math.max(lastAck, progress.ackedAt(i));
      lastCommit = Math.max(lastCommit, progress.committedAt(i));
    }
    if (start == Long.MAX_VALUE) {
      start = System.nanoTime();
    }
    long[] latencies = new long[progress.committedCount()];
    int k = 0;
    for (int i = 0; i < n && k < latencies.length; i++) {
      long c = progress.committedAt(i);
      if (c != 0) {
        latencies[k++] = c - progress.sentAt(i);
      }
    }
    latencies = Arrays.copyOf(latencies, k);
    Percentiles p = new Percentiles(latencies);
    int acked = progress.ackedCount();
    int committed = progress.committedCount();
    long end = Math.max(lastAck, lastCommit);
    return new BenchResult(
        settings.orderers(),
        settings.channel(),
        n,
        settings.warmupTx(),
        txs.meanRandomBytes(),
        txs.meanEnvelopeBytes(),
        settings.streams(),
        acked,
        committed,
        rate(acked, lastAck - start),
        rate(committed, lastCommit - start),
        millis(p.at(50)),
        millis(p.at(90)),
        millis(p.at(99)),
        millis(p.max()),
        progress.blockCount(),
        progress.blockCount() == 0 ? 0 : round((double) committed / progress.blockCount()),
        progress.errorsByStatus(),
        progress.streamErrors(),
        progress.duplicates(),
        round(Math.max(0, end - start) / 1e9),
        timedOut,
        timeline(progress, start, end));
  }

  private static List<BenchResult.Sample> timeline(BenchProgress progress, long start, long end) {
    long span = Math.max(1, end - start);
    long interval = Math.max(MIN_INTERVAL_NANOS, (span + MAX_SAMPLES - 1) / MAX_SAMPLES);
    int buckets = (int) Math.min(MAX_SAMPLES + 1, span / interval + 1);
    int[] acks = new int[buckets];
    int[] commits = new int[buckets];
    List<List<Long>> latencies = new ArrayList<>();
    for (int b = 0; b < buckets; b++) {
      latencies.add(new ArrayList<>());
    }
    for (int i = 0; i < progress.total(); i++) {
      long a = progress.ackedAt(i);
      if (a != 0) {
        acks[bucket(a, start, interval, buckets)]++;
      }
      long c = progress.committedAt(i);
      if (c != 0) {
        int b = bucket(c, start, interval, buckets);
        commits[b]++;
        latencies.get(b).add(c - progress.sentAt(i));
      }
    }
    double seconds = interval / 1e9;
    List<BenchResult.Sample> out = new ArrayList<>();
    for (int b = 0; b < buckets; b++) {
      Percentiles p =
          new Percentiles(latencies.get(b).stream().mapToLong(Long::longValue).toArray());
      out.add(
          new BenchResult.Sample(
              round((b + 1) * seconds),
              round(acks[b] / seconds),
              round(commits[b] / seconds),
              millis(p.at(50)),
              millis(p.at(99))));
    }
    return out;
  }

  private static int bucket(long t, long start, long interval, int buckets) {
    return (int) Math.max(0, Math.min(buckets - 1, (t - start) / interval));
  }

  private static double rate(int count, long nanos) {
    return nanos <= 0 ? 0 : round(count / (nanos / 1e9));
  }

  private static double millis(long nanos) {
    return round(nanos / 1e6);
  }

  private static double round(double v) {
    return Math.round(v * 10.0) / 10.0;
  }
}

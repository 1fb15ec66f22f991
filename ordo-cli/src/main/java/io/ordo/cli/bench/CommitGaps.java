package io.ordo.cli.bench;

import java.util.Arrays;

/**
 * How long the service went without a commit the client could see, measured on the times the run's
 * transactions were seen in blocks: what a failure costs in availability.
 *
 * @param longestGapMs the longest time with no commit seen, from the first send to the end of the
 *     run (the last commit when later): a service that never recovers shows its outage here
 * @param firstBreakToCommitMs from the first stream break to the next commit seen; null when no
 *     stream broke, or no commit came after the break
 */
record CommitGaps(double longestGapMs, Double firstBreakToCommitMs) {
  /**
   * @param firstBreakNanos when the first stream broke (nanoTime), 0 when none did
   * @param runEndNanos when the run stopped sending and waiting (nanoTime)
   */
  static CommitGaps of(BenchProgress progress, long firstBreakNanos, long runEndNanos) {
    int n = progress.total();
    long start = Long.MAX_VALUE;
    long[] commits = new long[n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      long s = progress.sentAt(i);
      if (s != 0) {
        start = Math.min(start, s);
      }
      long c = progress.committedAt(i);
      if (c != 0) {
        commits[k++] = c;
      }
    }
    if (start == Long.MAX_VALUE) {
      return new CommitGaps(0, null);
    }
    commits = Arrays.copyOf(commits, k);
    Arrays.sort(commits);
    long longest = 0;
    long previous = start;
    for (long c : commits) {
      longest = Math.max(longest, c - previous);
      previous = Math.max(previous, c);
    }
    longest = Math.max(longest, runEndNanos - previous);
    Double recovery = null;
    if (firstBreakNanos != 0) {
      for (long c : commits) {
        if (c > firstBreakNanos) {
          recovery = millis(c - firstBreakNanos);
          break;
        }
      }
    }
    return new CommitGaps(millis(longest), recovery);
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 1e5) / 10.0;
  }
}

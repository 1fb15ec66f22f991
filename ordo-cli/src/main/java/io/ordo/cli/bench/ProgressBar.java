package io.ordo.cli.bench;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The live line of a run on a terminal, redrawn in place: a bar of committed transactions, the
 * acked and committed counts and the committed rate so far.
 */
final class ProgressBar {
  private static final int WIDTH = 30;

  private final PrintWriter out;
  private final long startNanos;

  ProgressBar(PrintWriter out, long startNanos) {
    this.out = out;
    this.startNanos = startNanos;
  }

  void draw(int acked, int committed, int total, long now) {
    int filled = total == 0 ? WIDTH : (int) ((long) committed * WIDTH / total);
    double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
    out.print(
        String.format(
            Locale.ROOT,
            "\r[%s%s] %d/%d committed, %d acked, %,.0f tx/s ",
            "#".repeat(filled),
            " ".repeat(WIDTH - filled),
            committed,
            total,
            acked,
            committed / seconds));
    out.flush();
  }

  void finish() {
    out.println();
    out.flush();
  }
}

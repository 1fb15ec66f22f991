package io.ordo.interop;

import static io.ordo.interop.OrdererKind.FABRIC;
import static io.ordo.interop.OrdererKind.ORDO;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of a side-by-side measurement: lines printed and kept, figures summed up per kind as
 * min / median / max with Ordo's median over Fabric's, written as {@code compare.md}.
 */
final class Comparison {
  private final StringBuilder text = new StringBuilder();

  /** Prints a line and keeps it for the report. */
  void line(String line) {
    System.out.println(line);
    text.append(line).append('\n');
  }

  /** One figure of both kinds: min / median / max of each, and the ratio of the medians. */
  void summary(String what, Map<OrdererKind, List<Double>> byKind, String format) {
    List<Double> fabric = byKind.get(FABRIC).stream().sorted().toList();
    List<Double> ordo = byKind.get(ORDO).stream().sorted().toList();
    line(
        String.format(
            Locale.ROOT,
            "  %-34s Fabric %s, Ordo %s, Ordo/Fabric %.2f",
            what,
            minMedianMax(fabric, format),
            minMedianMax(ordo, format),
            median(ordo) / median(fabric)));
  }

  /** Writes what was printed as {@code compare.md} in {@code dir}. */
  void write(Path dir) {
    try {
      Files.writeString(dir.resolve("compare.md"), text.toString());
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write compare.md in " + dir, ex);
    }
  }

  /** The middle one of sorted values (the upper middle one of an even count). */
  static double median(List<Double> sorted) {
    return sorted.get(sorted.size() / 2);
  }

  private static String minMedianMax(List<Double> sorted, String format) {
    return String.format(Locale.ROOT, format, sorted.getFirst())
        + " / "
        + String.format(Locale.ROOT, format, median(sorted))
        + " / "
        + String.format(Locale.ROOT, format, sorted.getLast());
  }
}

package io.ordo.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a running orderer process has used, read from {@code /proc/PID}: CPU time and RSS. */
final class ProcessUsage {
  /** Linux's USER_HZ, the unit of utime and stime in {@code /proc/PID/stat}, on every arch. */
  private static final long CLOCK_TICKS_PER_SECOND = 100;

  private ProcessUsage() {}

  /** The user and system CPU seconds the process has used since it started. */
  static double cpuSeconds(OrdererNode node) {
    // the fields after the command's closing parenthesis; utime and stime are the 14th and 15th
    // of the whole line
    String stat = read(node, "stat");
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS_PER_SECOND;
  }

  /** The process's resident memory now, in MB. */
  static double rssMb(OrdererNode node) {
    return read(node, "status")
        .lines()
        .filter(l -> l.startsWith("VmRSS:"))
        .mapToDouble(l -> Double.parseDouble(l.replaceAll("[^0-9]", "")) / 1024)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no VmRSS for " + node));
  }

  private static String read(OrdererNode node, String file) {
    long pid = node.pid().orElseThrow(() -> new IllegalStateException(node + " is not running"));
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/" + pid + "/" + file + " of " + node, e);
    }
  }
}

package io.ordo.orderer.ops;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.UnixOperatingSystemMXBean;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The {@code process_*} series of Prometheus' process collector, which Fabric's orderer exposes
 * (its Go client registers the collector): CPU seconds, open and maximum file descriptors, resident
 * and virtual memory and its limit, start time. Host dashboards and alerts written for any
 * Prometheus-instrumented process read them; the JVM's own series ({@code jvm_*}) come beside them
 * from {@link NodeMetrics}. Memory and its limit are read from {@code /proc/self} at each scrape,
 * as the Go collector does; where there is no {@code /proc} those three are left out.
 */
final class ProcessMetrics {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path LIMITS = Path.of("/proc/self/limits");

  /** What the Go collector reports for an unlimited address space (RLIM_INFINITY as a uint64). */
  private static final double UNLIMITED = 0x1p64;

  private ProcessMetrics() {}

  static void bindTo(MeterRegistry registry) {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof OperatingSystemMXBean cpu) {
      FunctionCounter.builder("process_cpu_seconds_total", cpu, b -> b.getProcessCpuTime() / 1e9)
          .description("Total user and system CPU time spent in seconds.")
          .register(registry);
    }
    if (os instanceof UnixOperatingSystemMXBean unix) {
      Gauge.builder("process_open_fds", unix, u -> u.getOpenFileDescriptorCount())
          .description("Number of open file descriptors.")
          .register(registry);
      Gauge.builder("process_max_fds", unix, u -> u.getMaxFileDescriptorCount())
          .description("Maximum number of open file descriptors.")
          .register(registry);
    }
    double start = ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0;
    Gauge.builder("process_start_time_seconds", () -> start)
        .description("Start time of the process since unix epoch in seconds.")
        .register(registry);
    if (Files.isReadable(STATUS)) {
      Gauge.builder("process_resident_memory_bytes", () -> statusKilobytes("VmRSS:") * 1024)
          .description("Resident memory size in bytes.")
          .register(registry);
      Gauge.builder("process_virtual_memory_bytes", () -> statusKilobytes("VmSize:") * 1024)
          .description("Virtual memory size in bytes.")
          .register(registry);
      Gauge.builder("process_virtual_memory_max_bytes", ProcessMetrics::addressSpaceLimit)
          .description("Maximum amount of virtual memory available in bytes.")
          .register(registry);
    }
  }

  /** A {@code Name: value kB} line of /proc/self/status; NaN when it cannot be read. */
  private static double statusKilobytes(String key) {
    return lines(STATUS).stream()
        .filter(l -> l.startsWith(key))
        .map(l -> firstNumber(l.substring(key.length())))
        .findFirst()
        .orElse(OptionalDouble.empty())
        .orElse(Double.NaN);
  }

  /** The soft limit of "Max address space" in /proc/self/limits. */
  private static double addressSpaceLimit() {
    return lines(LIMITS).stream()
        .filter(l -> l.startsWith("Max address space"))
        .map(l -> l.substring("Max address space".length()).strip())
        .map(
            rest -> rest.startsWith("unlimited") ? OptionalDouble.of(UNLIMITED) : firstNumber(rest))
        .findFirst()
        .orElse(OptionalDouble.empty())
        .orElse(Double.NaN);
  }

  private static OptionalDouble firstNumber(String text) {
    String[] words = text.strip().split("\\s+");
    try {
      return OptionalDouble.of(Double.parseDouble(words[0]));
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      return List.of();
    }
  }
}

package io.ordo.orderer.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** A process's resident set size, from Linux's {@code /proc/PID/status} (VmRSS). */
final class ResidentMemory {
  private ResidentMemory() {}

  /** VmRSS in KiB; empty when the process is gone or /proc does not say. */
  static OptionalLong kib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // ended meanwhile
    }
    return OptionalLong.empty();
  }
}

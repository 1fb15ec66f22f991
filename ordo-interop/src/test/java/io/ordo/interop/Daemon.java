package io.ordo.interop;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * A long-running child process (an orderer or a peer of either implementation) with its output
 * appended to one log file; every start adds a marker line, so a restarted node keeps one log.
 */
final class Daemon {
  private static final Duration EXIT_WAIT = Duration.ofSeconds(20);

  private final String name;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path workDir;
  private final Path log;
  private Process process;
  private int starts;

  Daemon(
      String name, List<String> command, Map<String, String> environment, Path workDir, Path log) {
    this.name = name;
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.workDir = workDir;
    this.log = log;
  }

  String name() {
    return name;
  }

  Path log() {
    return log;
  }

  Map<String, String> environment() {
    return environment;
  }

  /** The process's ID while it runs. */
  synchronized java.util.OptionalLong pid() {
    return isAlive() ? java.util.OptionalLong.of(process.pid()) : java.util.OptionalLong.empty();
  }

  synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  synchronized void start() {
    if (isAlive()) {
      throw new IllegalStateException(name + " is already running, pid " + process.pid());
    }
    starts++;
    try {
      Files.createDirectories(log.getParent());
      Files.createDirectories(workDir);
      Files.writeString(
          log,
          "==== start " + starts + " of " + name + ": " + String.join(" ", command) + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      ProcessBuilder b =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      ChildEnvironment.apply(b.environment(), environment);
      process = b.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + " (log " + log + ")", e);
    }
  }

  /**
   * SIGTERM, then waits for the process to end.
   *
   * @return its exit code
   * @throws IllegalStateException when it does not end within {@link #EXIT_WAIT}
   */
  int stop() {
    return end(false);
  }

  /** SIGKILL: nothing of the process runs after it. */
  void kill() {
    end(true);
  }

  /** The exit code of a process that ended by itself, or empty while it runs. */
  synchronized OptionalInt exitCode() {
    if (process == null || process.isAlive()) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(process.exitValue());
  }

  private synchronized int end(boolean forcibly) {
    if (process == null) {
      return -1;
    }
    Process p = process;
    if (forcibly) {
      p.destroyForcibly();
    } else {
      p.destroy();
    }
    try {
      if (!p.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        throw new IllegalStateException(name + " did not end within " + EXIT_WAIT + " of SIGTERM");
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping " + name, e);
    } finally {
      process = null;
    }
  }

  /** Kills the process if it still runs: the clean-up after every test, passed or failed. */
  synchronized void destroy() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** The log's lines since the latest start, colour codes removed. */
  List<String> sinceLastStart() {
    List<String> all = LogTail.of(log, Integer.MAX_VALUE);
    int marker = 0;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).startsWith("==== start ")) {
        marker = i;
      }
    }
    return all.subList(marker, all.size());
  }

  /** The last {@code lines} lines of the log (all starts), or why it cannot be read. */
  List<String> tail(int lines) {
    return LogTail.of(log, lines);
  }
}

package io.ordo.orderer.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One orderer node as a child JVM: {@code java -cp <this JVM's class path> OrdererMain --config
 * <orderer.yaml>}, its output appended to a log file (every start of the node adds to the same
 * file, after a marker line).
 */
final class NodeProcess {
  private static final String MAIN_CLASS = "io.ordo.orderer.server.OrdererMain";
  private static final Duration EXIT_WAIT = Duration.ofSeconds(20);

  /** Small heaps and the client compiler: three nodes and the test share two cores. */
  private static final List<String> JVM_OPTIONS =
      List.of(
          "-Xmx256m",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-XX:CompileThresholdScaling=0.05",
          "-Xshare:auto",
          "--enable-native-access=ALL-UNNAMED",
          // protobuf reads memory through sun.misc.Unsafe: JDK 24 and later warn at start without
          // it, and older JDKs ignore the property
          "-Dsun.misc.unsafe.memory.access=allow");

  private final int id;
  private final Path ordererYaml;
  private final Path log;
  private Process process;
  private int starts;

  NodeProcess(int id, Path ordererYaml, Path log) {
    this.id = id;
    this.ordererYaml = ordererYaml;
    this.log = log;
  }

  Path log() {
    return log;
  }

  /** The process id while the node runs. */
  synchronized java.util.OptionalLong pid() {
    return isAlive() ? java.util.OptionalLong.of(process.pid()) : java.util.OptionalLong.empty();
  }

  synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  synchronized void start() {
    if (isAlive()) {
      throw new IllegalStateException("node " + id + " is already running, pid " + process.pid());
    }
    starts++;
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          "==== start " + starts + " of node " + id + System.lineSeparator(),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      ProcessBuilder b =
          new ProcessBuilder(command())
              .directory(ordererYaml.getParent().toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      b.environment().put("FABRIC_LOGGING_SPEC", "info");
      b.environment().remove("FABRIC_CFG_PATH");
      process = b.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node " + id + " (log " + log + ")", e);
    }
  }

  /**
   * The exit code of a JVM that ended on SIGTERM after its shutdown hooks ran (128 + 15), as the
   * JVM reports it.
   */
  static final int SIGTERM_EXIT = 143;

  /**
   * SIGTERM, then waits for the shutdown hook (the node's clean stop) to end the process.
   *
   * @throws IllegalStateException when the node does not end in time or ends otherwise than by the
   *     signal
   */
  void stop() {
    int code = end(false);
    if (code != SIGTERM_EXIT && code != 0) {
      throw new IllegalStateException(
          "node " + id + " ended with exit code " + code + " after SIGTERM (log " + log + ")");
    }
  }

  /** Sends SIGTERM without waiting; {@link #stop} then waits. */
  synchronized void signalStop() {
    if (process != null) {
      process.destroy();
    }
  }

  /** SIGKILL (kill -9): no shutdown hook runs. */
  void kill() {
    end(true);
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
        throw new IllegalStateException(
            "node " + id + " did not stop within " + EXIT_WAIT + " of SIGTERM (log " + log + ")");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping node " + id, e);
    } finally {
      process = null;
    }
    return p.exitValue();
  }

  /** Kills the process if it still runs; for cleanup after a test, passed or failed. */
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

  private List<String> command() {
    return command(ordererYaml);
  }

  /**
   * The command line of a node started from {@code ordererYaml}: this JVM's java and class path,
   * the nodes' JVM options and, on JDK 24 or newer, the flag the {@code ordo} launcher adds so that
   * the JDK does not warn on stderr that protobuf reads memory through sun.misc.Unsafe.
   */
  static List<String> command(Path ordererYaml) {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    return Stream.of(
            Stream.of(java, "-cp", absoluteClassPath()),
            JVM_OPTIONS.stream(),
            Runtime.version().feature() >= 24
                ? Stream.of("--sun-misc-unsafe-memory-access=allow")
                : Stream.<String>empty(),
            Stream.of(MAIN_CLASS, "--config", ordererYaml.toString()))
        .flatMap(s -> s)
        .toList();
  }

  /** This JVM's class path with absolute entries: the node runs in its own folder. */
  private static String absoluteClassPath() {
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.isEmpty())
        .map(e -> Path.of(e).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }
}

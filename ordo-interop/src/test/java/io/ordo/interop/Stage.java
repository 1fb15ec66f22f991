package io.ordo.interop;

import io.ordo.orderer.localnet.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * What one interop test runs on: its folders (data under {@code target/interop/<class>/<test>},
 * logs under {@code target/process-logs/<class>/<test>}, where {@code .ci/run} looks for the logs
 * of a failed test), Fabric's binaries, the {@code ordo} jar, loopback ports, a seeded random
 * source, and every process it started, all ended by {@link #close}.
 */
final class Stage implements AutoCloseable {
  private final String name;
  private final Path dir;
  private final Path logDir;
  private final FabricBinaries fabric;
  private final OrdoJar ordo;
  private final long seed;
  private final Random random;
  private final LoopbackPorts ports;
  private final ToolRunner tools;
  private final List<Daemon> daemons = new ArrayList<>();
  private final Thread killOnExit;

  Stage(String testClass, String test, FabricBinaries fabric, OrdoJar ordo, long seed) {
    this.name = testClass + "." + test;
    this.dir = Path.of("target", "interop", testClass, test).toAbsolutePath();
    this.logDir = Path.of("target", "process-logs", testClass, test).toAbsolutePath();
    deleteTree(dir);
    deleteTree(logDir);
    this.fabric = fabric;
    this.ordo = ordo;
    this.seed = seed;
    this.random = new Random(seed);
    this.ports = new LoopbackPorts(new Random(seed));
    this.tools = new ToolRunner(dir, dir.resolve("tool-output"), logDir.resolve("tools.log"));
    this.killOnExit = new Thread(this::destroyAll);
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /** A seed from {@code -Dordo.interop.seed=N}, else a fresh one; printed either way. */
  static long seed(String test) {
    String given = System.getProperty("ordo.interop.seed");
    long seed = given != null ? Long.parseLong(given) : new SecureRandom().nextLong();
    System.out.printf("%s: seed %d (replay with -Dordo.interop.seed=%d)%n", test, seed, seed);
    return seed;
  }

  String name() {
    return name;
  }

  /** A folder of this test's data, created empty. */
  Path dir(String relative) {
    Path p = dir.resolve(relative);
    try {
      Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  Path logDir() {
    return logDir;
  }

  FabricBinaries fabric() {
    return fabric;
  }

  OrdoJar ordo() {
    return ordo;
  }

  long seed() {
    return seed;
  }

  Random random() {
    return random;
  }

  int freePort() {
    return ports.next();
  }

  FabricTools fabricTools() {
    return new FabricTools(fabric, tools);
  }

  OrdoTools ordoTools() {
    return new OrdoTools(ordo, tools);
  }

  /** A daemon whose output goes to {@code <logs>/<name>.log}, ended by {@link #close}. */
  synchronized Daemon daemon(
      String daemonName, List<String> command, Map<String, String> env, Path workDir) {
    Daemon d = new Daemon(daemonName, command, env, workDir, logDir.resolve(daemonName + ".log"));
    daemons.add(d);
    return d;
  }

  /** Prints the last lines of every process log and of the tools' log. */
  synchronized void printLogTails(int lines) {
    StringBuilder b = new StringBuilder();
    for (Daemon d : daemons) {
      appendTail(b, d.log(), d.tail(lines));
    }
    appendTail(b, tools.log(), LogTail.of(tools.log(), lines));
    System.out.print(b);
  }

  private static void appendTail(StringBuilder b, Path log, List<String> tail) {
    b.append("=== last lines of ").append(log).append('\n');
    tail.forEach(l -> b.append(l).append('\n'));
  }

  private synchronized void destroyAll() {
    daemons.forEach(Daemon::destroy);
  }

  @Override
  public void close() {
    destroyAll();
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs anyway
    }
  }

  /** A generous bound for one tool run; the tools themselves take a second or two. */
  static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + root + " of an earlier run", e);
    }
  }
}

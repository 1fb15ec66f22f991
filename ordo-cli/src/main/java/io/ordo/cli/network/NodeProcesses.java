package io.ordo.cli.network;

import io.ordo.cli.CommandFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The orderer processes of a network folder: started as {@code java -cp <this classpath>
 * OrdererMain --config <node>/orderer.yaml}, with their output in {@code logs/<node>.log} and their
 * process ID in {@code pids/<node>.pid}, so that another run of the command can find and stop them.
 */
public final class NodeProcesses {
  static final String MAIN_CLASS = "io.ordo.orderer.server.OrdererMain";

  /**
   * protobuf reads memory through {@code sun.misc.Unsafe}: a JDK 24 or later prints four warning
   * lines at the start of a node without this, and older JDKs ignore the property.
   */
  static final String UNSAFE_MEMORY_ACCESS = "-Dsun.misc.unsafe.memory.access=allow";

  private static final int LOG_TAIL_LINES = 15;
  private static final Duration KILL_WAIT = Duration.ofSeconds(5);
  private final Path dir;

  public NodeProcesses(Path dir) {
    this.dir = dir;
  }

  public Path logsDir() {
    return dir.resolve("logs");
  }

  public Path log(String node) {
    return logsDir().resolve(node + ".log");
  }

  Path pidFile(String node) {
    return dir.resolve("pids").resolve(node + ".pid");
  }

  /** Starts one node from its orderer.yaml with the JVM and class path of this process. */
  public ProcessHandle start(String node, Path ordererYaml) {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new java.util.ArrayList<>();
    command.add(java);
    command.addAll(nodeJvmOptions(System.getenv(NODE_JAVA_OPTS)));
    command.addAll(words(System.getenv(TOOL_OPTIONS)));
    command.addAll(
        List.of(
            "-cp",
            absoluteClassPath(),
            "--enable-native-access=ALL-UNNAMED",
            UNSAFE_MEMORY_ACCESS,
            MAIN_CLASS,
            "--config",
            ordererYaml.toString()));
    try {
      Files.createDirectories(log(node).getParent());
      Files.createDirectories(pidFile(node).getParent());
      ProcessBuilder builder = new ProcessBuilder(command);
      NodeJvmSettings.bundled().environment().forEach(builder.environment()::putIfAbsent);
      // the JVM reads JAVA_TOOL_OPTIONS before its command line: moved after the defaults, an
      // operator's flags win over them
      builder.environment().remove(TOOL_OPTIONS);
      Process p =
          builder
              .directory(ordererYaml.getParent().toFile())
              .redirectErrorStream(true)
              .redirectOutput(log(node).toFile())
              .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
              .start();
      Files.writeString(pidFile(node), Long.toString(p.pid()) + "\n");
      return p.toHandle();
    } catch (IOException e) {
      throw new CommandFailedException("cannot start node " + node + ": " + e.getMessage(), e);
    }
  }

  /** Environment variable whose words replace the flags of {@link NodeJvmSettings#bundled()}. */
  public static final String NODE_JAVA_OPTS = "ORDO_NODE_JAVA_OPTS";

  private static final String TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";

  static List<String> nodeJvmOptions(String fromEnvironment) {
    if (fromEnvironment == null) {
      return NodeJvmSettings.bundled().flags();
    }
    return words(fromEnvironment);
  }

  private static List<String> words(String variable) {
    if (variable == null) {
      return List.of();
    }
    return java.util.Arrays.stream(variable.trim().split("\\s+"))
        .filter(w -> !w.isEmpty())
        .toList();
  }

  /** The class path of this JVM with absolute entries: the nodes run in their own folders. */
  private static String absoluteClassPath() {
    return Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .filter(e -> !e.isEmpty())
        .map(e -> Path.of(e).toAbsolutePath().toString())
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }

  private static java.io.File nullFile() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  /** The live process of a node, from its pid file. */
  public Optional<ProcessHandle> running(String node) {
    Path file = pidFile(node);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      long pid = Long.parseLong(Files.readString(file).strip());
      // a process started after the pid file was written reuses the number: not ours
      java.time.Instant written =
          Files.getLastModifiedTime(file).toInstant().plus(java.time.Duration.ofSeconds(2));
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(h -> h.info().startInstant().map(t -> !t.isAfter(written)).orElse(true));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The node names with a pid file in this folder. */
  public List<String> nodesWithPidFiles() {
    Path pids = dir.resolve("pids");
    if (!Files.isDirectory(pids)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(pids)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".pid"))
          .map(n -> n.substring(0, n.length() - 4))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new CommandFailedException("cannot list " + pids + ": " + e.getMessage(), e);
    }
  }

  /**
   * Stops processes: SIGTERM to all, then waits up to {@code grace} for them to exit, then kills
   * the ones left.
   *
   * @return how many had to be killed
   */
  public static int stop(List<ProcessHandle> processes, Duration grace) {
    // an interrupted caller (Ctrl-C in the foreground) still waits for its nodes to end
    boolean interrupted = Thread.interrupted();
    try {
      processes.forEach(ProcessHandle::destroy);
      interrupted |= awaitExit(processes, grace);
      List<ProcessHandle> left = processes.stream().filter(ProcessHandle::isAlive).toList();
      left.forEach(ProcessHandle::destroyForcibly);
      interrupted |= awaitExit(left, KILL_WAIT);
      return left.size();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits for every process to end, at most {@code bound}; true if interrupted meanwhile. */
  private static boolean awaitExit(List<ProcessHandle> processes, Duration bound) {
    try {
      CompletableFuture.allOf(
              processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
          .get(bound.toMillis(), TimeUnit.MILLISECONDS);
      return false;
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      return true;
    }
  }

  /** Removes the pid file of a node that is no longer running. */
  public void forget(String node) {
    try {
      Files.deleteIfExists(pidFile(node));
    } catch (IOException e) {
      throw new CommandFailedException("cannot remove " + pidFile(node) + ": " + e.getMessage(), e);
    }
  }

  /** The last lines of a node's log, for an error message. */
  public String logTail(String node) {
    try {
      List<String> lines = Files.readAllLines(log(node), StandardCharsets.UTF_8);
      return String.join(
          System.lineSeparator(),
          lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log(node) + ")";
    }
  }
}

package io.ordo.interop;

import io.ordo.cli.network.NodeJvmSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code ordo} command as a user runs it: {@code java -jar ordo-cli/target/ordo.jar ...}, on
 * the JVM that runs the tests. The reactor builds the jar before this module (it depends on
 * ordo-cli), so a test never builds it.
 *
 * @param java the java launcher
 * @param jar ordo-cli's shaded jar
 */
record OrdoJar(Path java, Path jar) {
  /**
   * The tools' JVM: the serial collector and the client compiler, as the {@code ordo} launcher runs
   * client tools (several JVMs, Fabric's processes and the test share two cores). Nodes get
   * node-jvm.options instead, as {@code ordo orderer start} gives them.
   */
  private static final List<String> JVM_OPTIONS =
      List.of(
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-XX:CompileThresholdScaling=0.05",
          "-Xshare:auto");

  static OrdoJar of(Path repositoryRoot) {
    Path jar = repositoryRoot.resolve("ordo-cli/target/ordo.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar
              + " does not exist: run the suite through the reactor (mvn -B verify -Pinterop),"
              + " which packages ordo-cli first");
    }
    Path java =
        ProcessHandle.current()
            .info()
            .command()
            .map(Path::of)
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
    return new OrdoJar(java, jar);
  }

  /** {@code java <options> -jar ordo.jar <args>}. */
  List<String> command(List<String> args) {
    return command(withHeap("-Xmx256m"), args);
  }

  private static List<String> withHeap(String maxHeap) {
    List<String> options = new ArrayList<>(JVM_OPTIONS);
    options.addFirst(maxHeap);
    return options;
  }

  /**
   * {@code ordo orderer start} as an operator's {@code bin/ordo} runs it: with the flags of
   * node-jvm.options (and its variables, {@link #nodeEnvironment}).
   */
  List<String> nodeCommand() {
    return command(NodeJvmSettings.bundled().flags(), List.of("orderer", "start"));
  }

  /** The variables node-jvm.options sets unless set: add them to a node's environment. */
  static Map<String, String> nodeEnvironment() {
    return NodeJvmSettings.bundled().environment();
  }

  /**
   * {@code ordo bench ARGS}: a heap for every transaction of a long run, which it signs before it
   * sends.
   */
  List<String> benchCommand(List<String> args) {
    List<String> all = new ArrayList<>(List.of("bench"));
    all.addAll(args);
    return command(withHeap("-Xmx2g"), all);
  }

  private List<String> command(List<String> options, List<String> args) {
    List<String> c = new ArrayList<>();
    c.add(java.toString());
    c.addAll(options);
    if (Runtime.version().feature() >= 24) {
      // protobuf reads memory through sun.misc.Unsafe; newer JDKs warn on every run
      c.add("--sun-misc-unsafe-memory-access=allow");
    }
    c.add("-jar");
    c.add(jar.toString());
    c.addAll(args);
    return List.copyOf(c);
  }
}

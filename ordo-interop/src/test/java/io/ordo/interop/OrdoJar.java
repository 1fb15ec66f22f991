package io.ordo.interop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
   * Small heaps, the serial collector and the client compiler: several JVMs, Fabric's processes and
   * the test share two cores. These are JVM options, not orderer settings.
   */
  private static final List<String> JVM_OPTIONS =
      List.of(
          "-Xmx256m",
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
    List<String> c = new ArrayList<>();
    c.add(java.toString());
    c.addAll(JVM_OPTIONS);
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

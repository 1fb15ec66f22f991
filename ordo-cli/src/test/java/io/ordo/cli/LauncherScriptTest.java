package io.ordo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the {@code ./ordo} launcher itself. It never lets the launcher build (a Maven build inside
 * the test run would race with it): the JDK choice is checked with a fake old JDK, and {@code
 * --help} only when the jar has been built before.
 */
class LauncherScriptTest {
  private static final Path ROOT = TestData.root();
  private static final Path SCRIPT = ROOT.resolve("ordo");
  private static final Path JAR = ROOT.resolve("ordo-cli/target/ordo.jar");
  private static final Path THIS_JDK = Path.of(System.getProperty("java.home"));

  record Run(int exit, String out, String err) {}

  @Test
  void withoutAJdk21ItSaysSoAndFails(@TempDir Path dir) throws Exception {
    Path oldJdk = fakeJdk(dir.resolve("jdk17"), "17");
    Path emptyJvms = Files.createDirectories(dir.resolve("jvms"));
    Run r =
        run(
            dir,
            Map.of("JAVA_HOME", oldJdk.toString(), "ORDO_JVM_ROOT", emptyJvms.toString()),
            "--help");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains("no JDK 21 or newer found").contains("JAVA_HOME");
  }

  @Test
  void itPassesOverAnOldJavaHomeToANewerInstalledJdkAndRunsHelp(@TempDir Path dir)
      throws Exception {
    assumeTrue(Files.isRegularFile(JAR), "ordo.jar is not built yet (mvn package builds it)");
    Path oldJdk = fakeJdk(dir.resolve("jdk17"), "17");
    Path jvms = Files.createDirectories(dir.resolve("jvms"));
    Files.createSymbolicLink(jvms.resolve("jdk-new"), THIS_JDK);
    Run r =
        run(
            dir,
            Map.of(
                "JAVA_HOME", oldJdk.toString(),
                "ORDO_JVM_ROOT", jvms.toString(),
                "ORDO_SKIP_BUILD", "1"),
            "--help");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("Usage: ordo")
        .contains("crypto")
        .contains("genesis")
        .contains("blocks");
    assertThat(r.err()).doesNotContain("WARNING");
  }

  /** A JDK folder whose java reports {@code version} and does nothing else. */
  private static Path fakeJdk(Path home, String version) throws IOException {
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path java = bin.resolve("java");
    Files.writeString(
        java,
        "#!/bin/sh\necho '    java.specification.version = " + version + "' >&2\n",
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return home;
  }

  private static Run run(Path dir, Map<String, String> env, String... args) throws Exception {
    // a PATH with the usual tools and no java of its own
    Path bin = Files.createDirectories(dir.resolve("bin"));
    for (String tool : List.of("sed", "head", "cut", "ls", "sort", "find", "dirname", "cat")) {
      for (String d : List.of("/usr/bin", "/bin")) {
        Path p = Path.of(d, tool);
        if (Files.isExecutable(p) && !Files.exists(bin.resolve(tool))) {
          Files.createSymbolicLink(bin.resolve(tool), p);
        }
      }
    }
    var command = new java.util.ArrayList<>(List.of("/bin/bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().clear();
    pb.environment().put("PATH", bin.toString());
    pb.environment().putAll(env);
    pb.redirectOutput(dir.resolve("out.txt").toFile());
    pb.redirectError(dir.resolve("err.txt").toFile());
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the launcher finished").isTrue();
    return new Run(
        p.exitValue(),
        Files.readString(dir.resolve("out.txt")),
        Files.readString(dir.resolve("err.txt")));
  }
}

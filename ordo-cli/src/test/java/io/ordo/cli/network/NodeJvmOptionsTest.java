package io.ordo.cli.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordo.cli.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NodeJvmOptionsTest {
  @Test
  void withoutTheVariableNodesGetTheBundledFlags() {
    assertThat(NodeProcesses.nodeJvmOptions(null))
        .isEqualTo(NodeJvmSettings.bundled().flags())
        .contains("-XX:+UseG1GC", "-Xmx1g", "-XX:+ExitOnOutOfMemoryError");
    assertThat(NodeJvmSettings.bundled().environment()).containsEntry("MALLOC_ARENA_MAX", "2");
  }

  @Test
  void theVariableReplacesTheDefaultsWordByWord() {
    assertThat(NodeProcesses.nodeJvmOptions("  -Xmx1g   -XX:+UseG1GC "))
        .containsExactly("-Xmx1g", "-XX:+UseG1GC");
  }

  @Test
  void anEmptyVariableLeavesTheJvmDefaults() {
    assertThat(NodeProcesses.nodeJvmOptions("")).isEmpty();
  }

  @Test
  void theFileSkipsCommentsAndSeparatesFlagsFromVariables() {
    NodeJvmSettings s = NodeJvmSettings.parse("# why\n\n-Xmx64m\n  -XX:+UseSerialGC  \nA_B=1=2\n");
    assertThat(s.flags()).containsExactly("-Xmx64m", "-XX:+UseSerialGC");
    assertThat(s.environment()).containsExactly(java.util.Map.entry("A_B", "1=2"));
  }

  @Test
  void aLineThatIsNeitherIsNamedWithItsNumber() {
    assertThatThrownBy(() -> NodeJvmSettings.parse("-Xmx64m\n\nXmx64m\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            NodeJvmSettings.RESOURCE + " line 3: neither a JVM flag nor NAME=VALUE: Xmx64m");
  }

  /**
   * The launchers read the file with bash ({@code read_node_jvm_options} in both {@code ordo}
   * scripts): their reading of every line must be this class's.
   */
  @Test
  void bothLaunchersReadTheFileAsThisClassDoes() throws IOException, InterruptedException {
    Path root = TestData.root();
    Path file = root.resolve("ordo-cli/src/main/resources" + NodeJvmSettings.RESOURCE);
    NodeJvmSettings expected = NodeJvmSettings.parse(Files.readString(file));
    for (Path script :
        java.util.List.of(root.resolve("ordo"), root.resolve("ordo-dist/src/dist/bin/ordo"))) {
      String text = Files.readString(script);
      int start = text.indexOf("read_node_jvm_options() {");
      int end = text.indexOf("\n}\n", start);
      assertThat(start).as(script + " defines read_node_jvm_options").isNotNegative();
      String function = text.substring(start, end + 3);
      ProcessBuilder bash =
          new ProcessBuilder(
                  "bash",
                  "-c",
                  function
                      + "flags=(); read_node_jvm_options \"$1\"; printf '%s\\n' \"${flags[@]}\";"
                      + " echo \"MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX\"",
                  "-",
                  file.toString())
              .redirectErrorStream(true);
      bash.environment().remove("MALLOC_ARENA_MAX");
      Process p = bash.start();
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor()).as(out).isZero();
      java.util.List<String> lines = out.lines().toList();
      assertThat(lines.subList(0, lines.size() - 1))
          .as(script.toString())
          .isEqualTo(expected.flags());
      assertThat(lines.getLast())
          .isEqualTo("MALLOC_ARENA_MAX=" + expected.environment().get("MALLOC_ARENA_MAX"));
    }
  }
}

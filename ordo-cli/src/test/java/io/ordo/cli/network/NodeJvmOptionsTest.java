package io.ordo.cli.network;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeJvmOptionsTest {
  @Test
  void withoutTheVariableNodesGetABoundedHeapAndTheSmallMachineDefaults() {
    assertThat(NodeProcesses.nodeJvmOptions(null))
        .containsExactly(
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-XX:CompileThresholdScaling=0.05");
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
}
